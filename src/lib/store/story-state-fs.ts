/** Reads and writes the story state file, `<out>/.newsfold/stories.json`. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseState, serializeState, type StoryState } from '../ingest/stories/story-state.ts';
import { stateDir, writeFileAtomic } from '../build/write-fs.ts';

export function statePath(outDir: string): string {
  return path.join(stateDir(outDir), 'stories.json');
}

/** The previous state, or null when there is none; `warning` says when a file existed but was unusable. */
export async function readStoryState(outDir: string): Promise<{ state: StoryState | null; warning: string | null }> {
  const file = statePath(outDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: null, warning: null };
    return { state: null, warning: `cannot read story state ${file}: ${(err as Error).message}; stories reclustered` };
  }
  const state = parseState(text);
  return { state, warning: state ? null : `story state ${file} is malformed; stories reclustered` };
}

/** Writes the state, leaving the file (and its mtime) alone when nothing changed. */
export async function writeStoryState(outDir: string, state: StoryState): Promise<void> {
  const text = serializeState(state);
  const current = await readFile(statePath(outDir), 'utf8').catch(() => null);
  if (current !== text) await writeFileAtomic(statePath(outDir), text);
}
