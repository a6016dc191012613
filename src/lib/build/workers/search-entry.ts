/**
 * What search-worker.mjs runs (search-thread.ts): a drop-in's search phase
 * from the changes as a message carries them. The changed files' entries come
 * with the message; any other entry the phase asks for is read from its
 * site-entry part (store/site-entries.ts entryLookup).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { entryLookup } from '../../store/site-entries.ts';
import { followChanges, type SearchChanges } from '../../store/search-follow.ts';
import type { FollowMessage, FollowReply } from './search-thread.ts';

/** A part that could not be read: the thread gives up, and the build's thread follows the changes. */
class LookupFailed extends Error {}

export async function followMessage(content: string, m: FollowMessage): Promise<FollowReply> {
  const t = performance.now();
  const before = new Map(m.before);
  const now = new Map(m.now);
  const lookup = entryLookup(content);
  const changes: SearchChanges = {
    from: m.from,
    to: m.to,
    files: m.files,
    articles: m.articles,
    stories: m.stories,
    before: (key) => before.get(key),
    now: (key) => {
      if (now.has(key)) return now.get(key) ?? undefined;
      try {
        return lookup(key);
      } catch (err) {
        // Not a SyntaxError (followChanges takes that for a refusal): the thread's own failure.
        throw new LookupFailed(`site entry ${key}: ${(err as Error).message}`);
      }
    },
    text: (file) => readFileSync(path.join(content, 'articles', file), 'utf8'),
  };
  try {
    const run = await followChanges(content, changes);
    const ms = Math.round(performance.now() - t);
    if (typeof run === 'string') return { refused: run, ms };
    const { files: _files, ...rest } = run;
    return { run: rest, ms };
  } catch (err) {
    return { failed: (err as Error).message };
  }
}
