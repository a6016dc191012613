/**
 * The site entries kept between builds (store/site-entries.ts): in parts,
 * read whole, always equal to parsing every content file, whatever happened
 * to the parts (damaged, left by a crash, a file removed behind the build's
 * back).
 */
import { isAscii } from 'node:buffer';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { partOf, readSiteEntries, siteEntriesPath } from '../src/lib/store/site-entries';
import { entriesOf, readContent, storyLead, type SiteEntries } from '../src/lib/site/site-index';
import { tailFile, tailsRead } from '../src/lib/store/site-entry-tails';
import { withIngestedSample } from './helpers/tree';

const partsOf = async (out: string) => (await readdir(siteEntriesPath(out))).filter((n) => n !== 'synced.json' && !n.endsWith('.tail.json')).sort();
/** Entries as plain data: a kept article's hash and excerpt are read from its part's tail on first use (site-entry-tails.ts). */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** The entries' files, as plain data (without what is known of them: `named`). */
const data = (e: SiteEntries): SiteEntries => plain({ articles: e.articles, stories: e.stories });

describe('site entries in parts (store/site-entries.ts)', () => {
  it('equal the parsed files after a build, a drop-in, a damaged part, a removal behind its back and a crash', async () => {
    await withIngestedSample(async ({ out }) => {
      const parsedNow = async () => entriesOf(await readContent(out));
      const files = (await parsedNow()).articles.length + (await parsedNow()).stories.length;

      // First build: every file parsed, kept in parts of ASCII JSON, the content "A" claimed.
      const first = await readSiteEntries(out, { from: null, to: 'A', files: [] });
      expect(first.parsed).toBe(files);
      expect(data(first.entries)).toEqual(await parsedNow());
      // The ingest names files by id: known as the entries are read, not checked per entry later (build/pages.ts).
      expect(first.entries.named).toBe(true);
      const parts = await partsOf(out);
      expect(parts.length).toBeGreaterThan(1);
      for (const p of parts) expect(isAscii(await readFile(path.join(siteEntriesPath(out), p))), p).toBe(true);
      // The sample's texts are not all ASCII: the escapes come back as the same characters.
      expect(JSON.stringify(first.entries)).toMatch(/[^\x00-\x7f]/);

      // A drop-in from "A" that wrote nothing: nothing parsed, nothing statted, the same entries.
      const same = await readSiteEntries(out, { from: 'A', to: 'B', files: [] });
      expect(same.parsed).toBe(0);
      expect(same.changed).toEqual(new Set());
      expect(data(same.entries)).toEqual(data(first.entries));
      expect(same.entries.named).toBe(true);

      // A damaged part: the drop-in route is not trusted (every file statted), its files parsed again, the part rewritten.
      const victim = path.join(siteEntriesPath(out), parts[0]);
      await writeFile(victim, '{"version":1,"code":"x","rows":[[');
      const repaired = await readSiteEntries(out, { from: 'B', to: 'C', files: [] });
      expect(repaired.changed).toBeNull();
      expect(repaired.parsed).toBeGreaterThan(0);
      expect(data(repaired.entries)).toEqual(await parsedNow());
      expect(JSON.parse(await readFile(victim, 'utf8'))).toHaveProperty('rows');

      // A file removed with no changes given (no ingest this run): its entry goes, no content is claimed.
      const gone = repaired.entries.articles[repaired.entries.articles.length - 1];
      await rm(path.join(out, 'articles', gone.file));
      const removed = await readSiteEntries(out, null);
      expect(data(removed.entries)).toEqual(await parsedNow());
      expect(removed.entries.articles.map((a) => a.file)).not.toContain(gone.file);
      const unclaimed = await readSiteEntries(out, { from: 'C', to: 'D', files: [] });
      expect(unclaimed.changed).toBeNull();

      // A crash after parts were written and before the claim: no claim, so every file is statted.
      await rm(path.join(siteEntriesPath(out), 'synced.json'));
      const afterCrash = await readSiteEntries(out, { from: 'D', to: 'E', files: [] });
      expect(afterCrash.changed).toBeNull();
      expect(data(afterCrash.entries)).toEqual(await parsedNow());

      // Every part left holds rows, and the parts hold every file once.
      const rows = await Promise.all((await partsOf(out)).map(async (p) => (JSON.parse(await readFile(path.join(siteEntriesPath(out), p), 'utf8')) as { rows: unknown[] }).rows.length));
      expect(rows.every((n) => n > 0)).toBe(true);
      expect(rows.reduce((a, b) => a + b, 0)).toBe(files - 1);
    });
  }, 120_000);

  it("keep an article's hash and excerpt and a story's summary in its part's tail, read only when asked, and from its file when the tail is not the part's", async () => {
    await withIngestedSample(async ({ out }) => {
      const parsedNow = async () => entriesOf(await readContent(out));
      await readSiteEntries(out, { from: null, to: 'A', files: [] });
      const dir = siteEntriesPath(out);
      const tails = (await readdir(dir)).filter((n) => n.endsWith('.tail.json')).sort();
      expect(tails.length).toBe((await partsOf(out)).length);

      // A drop-in that wrote nothing reads no tail; one article's hash reads its part's tail only.
      const before = tailsRead();
      const same = await readSiteEntries(out, { from: 'A', to: 'B', files: [] });
      expect(tailsRead()).toBe(before);
      const fresh = await parsedNow();
      const last = fresh.articles.length - 1;
      expect(same.entries.articles[last].hash).toBe(fresh.articles[last].hash);
      expect(same.entries.articles[last].article.excerpt).toBe(fresh.articles[last].article.excerpt);
      expect(tailsRead()).toBe(before + 1);
      // A story's first sentence is in its part; the rest of its summary, asked for before its part's
      // tail is read, comes from its file (the site feed's stories fall in many parts).
      const long = fresh.stories.findIndex((st) => st.story.summary.length > 1);
      expect(long).toBeGreaterThanOrEqual(0);
      expect(storyLead(same.entries.stories[long].story)).toBe(fresh.stories[long].story.summary[0]);
      expect(same.entries.stories[long].story.summary).toEqual(fresh.stories[long].story.summary);
      expect(tailsRead()).toBe(before + 1);
      expect(data(same.entries)).toEqual(fresh);

      // A tail that is not its part's: another part's tail (a crash between the two writes), a damaged
      // one, one gone. Each field asked for then comes from the article's own file.
      const [t0, t1, t2] = tails;
      await writeFile(path.join(dir, t0), await readFile(path.join(dir, t1 ?? t0)));
      if (t1) await writeFile(path.join(dir, t1), '{"rows":[[');
      if (t2) await rm(path.join(dir, t2));
      const odd = await readSiteEntries(out, { from: 'B', to: 'C', files: [] });
      expect(odd.changed).toEqual(new Set());
      expect(data(odd.entries)).toEqual(fresh);

      // A build rewriting a part whose tail was unusable writes a good one (the next read uses it).
      const victim = fresh.articles[0];
      const key = `articles/${victim.file}`;
      const bytes = await readFile(path.join(out, key));
      await writeFile(path.join(out, key), bytes);
      // Its tail is not its part's, so what it was is not known from the parts: the drop-in route is left.
      const rewritten = await readSiteEntries(out, { from: 'C', to: 'D', files: [key] });
      expect(rewritten.changed).toBeNull();
      expect(rewritten.parsed).toBe(1);
      expect(data(rewritten.entries)).toEqual(fresh);
      const next = await readSiteEntries(out, { from: 'D', to: 'E', files: [] });
      const n = tailsRead();
      expect(next.entries.articles[0].hash).toBe(victim.hash);
      expect(tailsRead()).toBe(n + 1);
      expect(data(next.entries)).toEqual(fresh);

      // An article removed whose part's tail is damaged: what it was cannot be told, so the drop-in
      // route is left (every file statted), never a crash or a wrong entry.
      const doomed = fresh.articles[fresh.articles.length - 1];
      await writeFile(path.join(dir, tailFile(`${partOf('articles', doomed.file)}.json`)), '{"rows":[[');
      await rm(path.join(out, 'articles', doomed.file));
      const lost = await readSiteEntries(out, { from: 'E', to: 'F', files: [`articles/${doomed.file}`] });
      expect(lost.changed).toBeNull();
      expect(data(lost.entries)).toEqual(await parsedNow());

      // Likewise an article rewritten whose part's tail is damaged: its file gives what it is now, not
      // what it was, so that is not taken for it.
      const edited = fresh.articles[0];
      await writeFile(path.join(dir, tailFile(`${partOf('articles', edited.file)}.json`)), '{"rows":[[');
      const editedPath = path.join(out, 'articles', edited.file);
      await writeFile(editedPath, (await readFile(editedPath, 'utf8')).replace(/\n*$/, '\n\nA sentence added by its editors.\n'));
      const rewrittenBlind = await readSiteEntries(out, { from: 'F', to: 'G', files: [`articles/${edited.file}`] });
      expect(rewrittenBlind.changed).toBeNull();
      expect(rewrittenBlind.was).toBeNull();
      expect(data(rewrittenBlind.entries)).toEqual(await parsedNow());
      expect(rewrittenBlind.entries.articles[0].hash).not.toBe(edited.hash);
    });
  }, 120_000);

  it('cut finely (a drop-in rewrites a few hundred articles, not a month), with safe part names', () => {
    const names = ['2025-07-022386-the-veldale-tribune-631ddd.md', '2025-07-023001-x.md', '2025-07-zz-drop-in-latest-1a2b3c.md', '2025-07.md', 'Hand Written.md', '_x.md', 'caf\u00e9.md'];
    const parts = names.map((n) => partOf('articles', n));
    for (const p of [...parts, partOf('stories', 'a-brother-1.json'), partOf('stories', '\u00e9t\u00e9.json'), partOf('stories', 'x.json')]) expect(p).toMatch(/^[as]-[a-z0-9_-]+$/);
    // Counters a thousand apart, and a drop-in's own name, in parts of their own; one month's stay apart from another's.
    expect(new Set(parts.slice(0, 3)).size).toBe(3);
    expect(partOf('articles', '2025-07-022999-y.md')).toBe(parts[0]);
    expect(partOf('articles', '2025-08-022386-y.md')).not.toBe(parts[0]);
    expect(partOf('stories', 'a-brother-1.json')).toBe(partOf('stories', 'a-sister.json'));
    expect(partOf('stories', 'a-brother-1.json')).not.toBe(partOf('stories', 'b.json'));
  });

  it('read from parts of the older layout (whole months, version 2): every file statted, the old parts replaced', async () => {
    await withIngestedSample(async ({ out }) => {
      const parsedNow = async () => entriesOf(await readContent(out));
      await readSiteEntries(out, { from: null, to: 'A', files: [] });
      // One part as the previous version left it: another name (a whole month, a letter) and version 2.
      const [first] = await partsOf(out);
      const text = JSON.parse(await readFile(path.join(siteEntriesPath(out), first), 'utf8')) as { version: number };
      const old = `${first.slice(0, first.startsWith('a-') ? 9 : 3)}.json`;
      await rm(path.join(siteEntriesPath(out), first));
      await writeFile(path.join(siteEntriesPath(out), old), JSON.stringify({ ...text, version: 2 }));
      const upgraded = await readSiteEntries(out, { from: 'A', to: 'B', files: [] });
      expect(upgraded.changed).toBeNull();
      expect(upgraded.parsed).toBeGreaterThan(0);
      expect(data(upgraded.entries)).toEqual(await parsedNow());
      const now = await partsOf(out);
      expect(now).toContain(first);
      if (old !== first) expect(now).not.toContain(old);
      // The next drop-in follows on again.
      const next = await readSiteEntries(out, { from: 'B', to: 'C', files: [] });
      expect(next.changed).toEqual(new Set());
      expect(next.parsed).toBe(0);
      expect(data(next.entries)).toEqual(data(upgraded.entries));
    });
  }, 120_000);
});
