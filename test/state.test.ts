/**
 * Stable stories (#4): story ids persist across rebuilds through the state
 * file; a new article joins an existing story without renaming it; deleting an
 * article never renames a story that still has articles; `recluster` starts
 * over; same input + same state gives byte-identical output.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, unlink, copyFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cluster } from '../src/lib/ingest/stories/cluster';
import { makeState, parseState, serializeState } from '../src/lib/ingest/stories/story-state';
import { statePath } from '../src/lib/store/layout';
import { runIngest } from '../src/lib/build/ingest-fs';
import { repoRoot } from '../scripts/lib/corpus';
import type { Article } from '../src/lib/ingest/types';

/** Pseudo-words so that two events share nothing but what a test gives them. */
const vocab = (event: number, n: number, offset = 0) => Array.from({ length: n }, (_, i) => `e${event}x${(i + offset) % 40}`).join(' ');

function article(id: string, event: number, date: string, variant: number): Article {
  // Articles of one event share most of the event's words but are not copies (different order and subsets).
  const body = [vocab(event, 30, variant * 3), `${vocab(event, 12, variant * 7)} filler${variant} extra${id}`];
  return {
    id,
    raw: `${id}.md`,
    part: 0,
    format: 'md',
    title: `${vocab(event, 5, variant)} headline`,
    titleDerived: false,
    dek: null,
    source: `outlet-${variant}`,
    byline: null,
    date,
    url: null,
    lang: 'en',
    body: body.map((text) => ({ kind: 'p' as const, text })),
    removed: [],
    words: 50,
    excerpt: '',
  };
}

const storyOf = (r: ReturnType<typeof cluster>, id: string) => r.assignments.get(id)!.story;

describe('story state (pure)', () => {
  const base = [article('a1', 1, '2024-03-01', 0), article('a2', 1, '2024-03-01', 1), article('b1', 2, '2024-03-01', 0), article('b2', 2, '2024-03-01', 1)];

  it('groups the two synthetic events apart', () => {
    const r = cluster(base);
    expect(storyOf(r, 'a1')).toBe(storyOf(r, 'a2'));
    expect(storyOf(r, 'b1')).toBe(storyOf(r, 'b2'));
    expect(storyOf(r, 'a1')).not.toBe(storyOf(r, 'b1'));
  });

  it('a new article joins its existing story, and no story is renamed', () => {
    const first = cluster(base);
    const second = cluster([...base, article('a0', 1, '2024-02-28', 2)], { previous: first.state });
    // Dated before the founder, it would found the story in a from-scratch run; with the state it joins.
    expect(storyOf(second, 'a0')).toBe(storyOf(first, 'a1'));
    for (const id of ['a1', 'a2', 'b1', 'b2']) expect(storyOf(second, id)).toBe(storyOf(first, id));
    const fresh = cluster([...base, article('a0', 1, '2024-02-28', 2)]);
    expect(storyOf(fresh, 'a0')).toBe(storyOf(fresh, 'a1'));
  });

  it('deleting the founder keeps the story id while it has articles; recluster recomputes', () => {
    const first = cluster(base);
    const founder = first.stories.find((s) => s.articles.includes('a1'))!.founder;
    const rest = base.filter((a) => a.id !== founder);
    const kept = cluster(rest, { previous: first.state });
    const survivor = founder === 'a1' ? 'a2' : 'a1';
    expect(storyOf(kept, survivor)).toBe(storyOf(first, survivor));
    const recluster = cluster(rest, { previous: null });
    expect(storyOf(recluster, survivor)).not.toBe(storyOf(first, survivor));
    // A story with no articles left disappears from the state.
    const gone = cluster(base.filter((a) => !a.id.startsWith('b')), { previous: first.state });
    expect(gone.state.stories.map((s) => s.id)).not.toContain(storyOf(first, 'b1'));
  });

  it('same input + same state => identical result, whatever the input order', () => {
    const first = cluster(base);
    const a = cluster(base, { previous: first.state });
    const b = cluster([...base].reverse(), { previous: first.state });
    expect(serializeState(a.state)).toBe(serializeState(first.state));
    expect(JSON.stringify([...b.assignments].sort())).toBe(JSON.stringify([...a.assignments].sort()));
    expect(JSON.stringify(b.stories)).toBe(JSON.stringify(a.stories));
    // And with nothing changed, the state run gives what the fresh run gave: scores, reasons, near misses.
    expect(JSON.stringify([...a.assignments].sort())).toBe(JSON.stringify([...first.assignments].sort()));
    expect(JSON.stringify(a.stories)).toBe(JSON.stringify(first.stories));
  });

  it('parses what it writes and refuses malformed state', () => {
    const state = makeState([{ id: 'story-abc123', founder: 'x', articles: ['y', 'x'] }]);
    expect(parseState(serializeState(state))).toEqual(state);
    expect(state.stories[0].articles).toEqual(['x', 'y']);
    for (const bad of ['', '{', '[]', '{"version":99,"stories":[]}', '{"version":1,"stories":[{"id":"Bad Id","founder":"x","articles":[]}]}']) {
      expect(parseState(bad), bad).toBeNull();
    }
  });
});

describe('story state through runIngest', () => {
  let dir: string;
  let raw: string;
  let out: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'newsfold-state-'));
    raw = path.join(dir, 'raw');
    out = path.join(dir, 'content');
    await mkdir(raw, { recursive: true });
    const seeds = path.join(repoRoot, 'content', 'raw');
    for (const name of (await readdir(seeds)).filter((n) => !n.startsWith('.'))) await copyFile(path.join(seeds, name), path.join(raw, name));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a deterministic state; ids survive deleting the founder; --recluster ignores the state', async () => {
    const first = await runIngest({ raw, out, cache: false });
    const stateText = await readFile(statePath(out, 'storyState'), 'utf8');
    expect(parseState(stateText)?.stories.length).toBe(first.stories.length);
    const again = await runIngest({ raw, out, cache: false });
    expect(await readFile(statePath(out, 'storyState'), 'utf8')).toBe(stateText);
    expect(again.report).toEqual(first.report);
    // Nothing changed, so no story file is rewritten (the state run scores like the fresh one).
    expect(again.written.added.length + again.written.updated.length + again.written.removed.length).toBe(0);

    const story = first.stories.find((s) => s.articles.length >= 2)!;
    const founder = parseState(stateText)!.stories.find((s) => s.id === story.id)!.founder;
    await unlink(path.join(raw, first.articles.find((a) => a.id === founder)!.raw));
    const second = await runIngest({ raw, out, cache: false });
    const survivor = story.articles.find((id) => id !== founder)!;
    expect(second.articles.find((a) => a.id === survivor)!.story).toBe(story.id);

    const fresh = await runIngest({ raw, out, cache: false, recluster: true });
    expect(fresh.articles.find((a) => a.id === survivor)!.story).not.toBe(story.id);
  });
});
