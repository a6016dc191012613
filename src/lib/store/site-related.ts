/**
 * Every story's related lists as the last build chose them (site/related.ts), kept for the next
 * drop-in, which makes again only the lists its changed stories can reach: `site-related.json`
 * (layout.ts `siteRelated`) written whole, and `site-related.delta.json` (`siteRelatedDelta`), the
 * lists drop-ins changed since, over it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IndexRelated } from '../site/site-index.ts';
import { foldDelta } from './delta.ts';
import { sourceFingerprint } from './fingerprint.ts';
import { statePath } from './layout.ts';
import { asciiJson, asciiText, writeFileAtomic } from './write-file.ts';

/** The code the kept related lists come from (the entries' parsing, relatedAll and its update): another version makes them all again. */
const RELATED_CODE = ['src/lib/schema.ts', 'src/lib/site/site-index.ts', 'src/lib/site/links.ts', 'src/lib/site/related.ts', 'package-lock.json'];

/**
 * Bumped with the files' shape (2: a whole file named by a generation, and a delta over it; 3: the
 * whole file written as ASCII, asciiJson, and read as one-byte text).
 */
const RELATED_VERSION = 3;

/** The first line of `site-related.json`: what the lists after it were chosen from. */
interface RelatedHeader {
  version: typeof RELATED_VERSION;
  code: string;
  /** The output hash (ContentChanges.to) of the content the lists were chosen from. */
  content: string;
  /** Names this whole file for the delta written over it. */
  generation: string;
}

/**
 * `site-related.delta.json` (layout.ts `siteRelatedDelta`): the lists drop-ins changed since the whole
 * file of `generation` was written, and the stories gone; the content they were chosen from is now
 * `content`. A drop-in changes a few lists of 20,000 (at 100,000 articles): writing them all was
 * 6 MB of JSON per drop-in.
 */
interface RelatedDelta {
  version: typeof RELATED_VERSION;
  generation: string;
  content: string;
  lists: Array<[string, IndexRelated[]]>;
  removed: string[];
}

/** The related lists the last build kept: every story's, and what the next build's delta builds on. */
export interface KeptRelated {
  lists: Map<string, IndexRelated[]>;
  generation: string;
  delta: RelatedDelta | null;
}

/**
 * Every story's related lists as the last build chose them (layout.ts `siteRelated`, with its delta
 * applied), when they were chosen from the content `from` (the content this build's ingest started
 * from) by this code; else null (missing, damaged, other content or code: the caller chooses every
 * list again).
 */
export function readKeptRelated(contentDir: string, from: string): KeptRelated | null {
  let text: string;
  try {
    // Written as ASCII (asciiJson): read as one-byte text (6 MB at 100,000 articles).
    text = asciiText(readFileSync(statePath(contentDir, 'siteRelated')));
  } catch {
    return null;
  }
  try {
    const nl = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, nl)) as RelatedHeader;
    if (header.version !== RELATED_VERSION || header.code !== sourceFingerprint(RELATED_CODE) || typeof header.generation !== 'string') return null;
    const delta = readRelatedDelta(contentDir, header.generation);
    // The content the lists agree with: the delta's, else the whole file's (a delta damaged or of
    // another generation leaves the whole file's content, an earlier one: not `from`).
    if ((delta?.content ?? header.content) !== from) return null;
    const lists = new Map(JSON.parse(text.slice(nl + 1)) as Array<[string, IndexRelated[]]>);
    if (delta) {
      for (const id of delta.removed) lists.delete(id);
      for (const [id, list] of delta.lists) lists.set(id, list);
    }
    return { lists, generation: header.generation, delta };
  } catch {
    return null;
  }
}

function readRelatedDelta(contentDir: string, generation: string): RelatedDelta | null {
  try {
    const d = JSON.parse(readFileSync(statePath(contentDir, 'siteRelatedDelta'), 'utf8')) as RelatedDelta;
    return d && d.version === RELATED_VERSION && d.generation === generation && typeof d.content === 'string' && Array.isArray(d.lists) && Array.isArray(d.removed) ? d : null;
  } catch {
    return null;
  }
}

/** Lists a delta may hold before the whole file is written again: an eighth of the stories, at least 500. */
const relatedDeltaLimit = (stories: number) => Math.max(500, stories >> 3);

/**
 * Keeps every story's related lists for the next drop-in, under the output hash of the content they
 * were chosen from (`to`: ContentChanges.to): a delta over the whole file `kept` was read from, when
 * given and the lists changed since stay few (a list that is `kept`'s own array is unchanged: the
 * drop-in's update hands back the lists it keeps, site/related.ts), else the whole file under a new
 * generation. Unknown content (no ingest this run): both files are removed, so no later build can
 * take lists of other content for its own.
 */
export async function keepRelated(contentDir: string, to: string | null, stories: Array<{ id: string; related: IndexRelated[] }>, kept: KeptRelated | null = null): Promise<void> {
  const file = statePath(contentDir, 'siteRelated');
  const deltaFile = statePath(contentDir, 'siteRelatedDelta');
  if (!to) {
    await rm(file, { force: true });
    return rm(deltaFile, { force: true });
  }
  if (kept) {
    const now = new Map(stories.map((s) => [s.id, s.related]));
    const { set, gone } = foldDelta(
      kept.delta?.lists,
      kept.delta?.removed,
      stories.filter((s) => kept.lists.get(s.id) !== s.related).map((s) => s.id),
      [...kept.lists.keys()].filter((id) => !now.has(id)),
      (id) => now.get(id)!,
    );
    if (set.size + gone.length <= relatedDeltaLimit(stories.length)) {
      const delta: RelatedDelta = { version: RELATED_VERSION, generation: kept.generation, content: to, lists: [...set], removed: gone };
      return writeFileAtomic(deltaFile, `${JSON.stringify(delta)}\n`);
    }
  }
  const header: RelatedHeader = { version: RELATED_VERSION, code: sourceFingerprint(RELATED_CODE), content: to, generation: randomUUID() };
  await writeFileAtomic(file, `${JSON.stringify(header)}\n${asciiJson(stories.map((s) => [s.id, s.related]))}\n`);
  // Of another generation now, so never applied; removed to be tidy.
  await rm(deltaFile, { force: true });
}
