/**
 * What `npm run bench -- --corpus year` adds to the bench: the year of news
 * (year.ts) as the drop folder, a drop-in on its latest day, a late-news
 * drop-in (an article dated months back that belongs to an existing story),
 * and the grouping scored against the generator's labels (B-cubed).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bcubed, type BCubed } from '../eval/clustering.ts';

/** The front matter fields of the .md files the generator wrote in one month folder. */
function mdFiles(raw: string, month: string): Array<{ rel: string; text: string; date: string | null }> {
  const dir = path.join(raw, month);
  return readdirSync(dir)
    .filter((n) => n.endsWith('.md') && !n.startsWith('zz-'))
    .sort()
    .map((n) => {
      const text = readFileSync(path.join(dir, n), 'utf8');
      return { rel: `${month}/${n}`, text, date: text.match(/^date: "(\d{4}-\d{2}-\d{2})"$/m)?.[1] ?? null };
    });
}

/** Another outlet's take on `source`: its paragraphs rotated, its own name, the given date. */
function variant(text: string, outlet: string, date: string): string {
  const [, front, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/) ?? [];
  const paragraphs = (body ?? text).split(/\n\s*\n/).filter((x) => x.trim());
  const matter = (front ?? '')
    .replace(/^source: .*$/m, `source: ${JSON.stringify(outlet)}`)
    .replace(/^url: .*$/m, '')
    .replace(/^date: .*$/m, `date: ${JSON.stringify(date)}`);
  return `---\n${matter.trim()}\n---\n\n${[...paragraphs.slice(1), paragraphs[0]].join('\n\n')}\n`;
}

export interface DropIn {
  /** The new file, relative to the drop folder. */
  rel: string;
  /** The file whose story it belongs to. */
  sibling: string;
  date: string;
}

/**
 * An article of the latest day (an outlet's take on a story of that day), in that day's month folder.
 * `nth` > 0 makes another one (the bench repeats the drop-in): the next story's take, another outlet, another file.
 */
export function dropInLatest(raw: string, lastDay: string, nth = 0): DropIn {
  const month = lastDay.slice(0, 7);
  const files = mdFiles(raw, month).filter((f) => f.date !== null);
  const latest = files.filter((f) => f.date === lastDay);
  const pool = latest.length ? latest : files;
  const source = pool[nth % pool.length];
  const rel = nth ? `${month}/zz-drop-in-latest-${nth + 1}.md` : `${month}/zz-drop-in-latest.md`;
  writeFileSync(path.join(raw, rel), variant(source.text, nth ? `Drop-in Desk ${nth + 1}` : 'Drop-in Desk', source.date!));
  return { rel, sibling: source.rel, date: source.date! };
}

/** Late news: an article dated `monthsBack` months before the latest day, filed in the latest month's folder. */
export function dropInLate(raw: string, lastDay: string, monthsBack = 4): DropIn {
  const month = Math.max(1, Number(lastDay.slice(5, 7)) - monthsBack);
  const old = `${lastDay.slice(0, 4)}-${String(month).padStart(2, '0')}`;
  const files = mdFiles(raw, old).filter((f) => f.date?.startsWith(old));
  const source = files[Math.floor(files.length / 2)];
  const rel = `${lastDay.slice(0, 7)}/zz-late-news.md`;
  writeFileSync(path.join(raw, rel), variant(source.text, 'Late Desk', source.date!));
  return { rel, sibling: source.rel, date: source.date! };
}

/** raw path -> story id, from the content collection the build wrote (front matter `raw:` and `story:`). */
export function storiesOfContent(content: string): Map<string, string> {
  const out = new Map<string, string>();
  const dir = path.join(content, 'articles');
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.md')) continue;
    const head = readFileSync(path.join(dir, name), 'utf8').slice(0, 4096);
    const raw = head.match(/^raw: (.*)$/m)?.[1];
    const story = head.match(/^story: (.*)$/m)?.[1];
    if (raw && story) out.set(unquote(raw), unquote(story));
  }
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return t;
}

export interface GroupingFigures extends BCubed {
  /** Labelled files found in the content (an article the ingest rejected is missing, and not scored). */
  scored: number;
  labelled: number;
}

/** B-cubed of the build's stories against the generator's labels. */
export function scoreContent(content: string, labelsFile: string): GroupingFigures {
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as Record<string, string>;
  const predicted = storiesOfContent(content);
  const gold = new Map(Object.entries(labels));
  const b = bcubed(predicted, gold);
  let scored = 0;
  for (const k of gold.keys()) if (predicted.has(k)) scored++;
  return { ...b, scored, labelled: gold.size };
}

/** Whether the dropped article sits in the same story as the article it was made from. */
export function joinedItsStory(content: string, drop: DropIn): boolean | null {
  const stories = storiesOfContent(content);
  const a = stories.get(drop.rel);
  const b = stories.get(drop.sibling);
  return a && b ? a === b : null;
}
