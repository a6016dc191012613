/**
 * build/load-stages.ts: the pipeline's stages are handed back only once what
 * the build started on being told of the change (Astro's start-up ahead) has
 * had the event-loop turns it needs, even when the pipeline is loaded already
 * (`npm run watch` keeps it between builds); a start that fails does not stop
 * the ingest.
 */
import { describe, expect, it } from 'vitest';
import { loadStages } from '../src/lib/build/load-stages';

/** A start that needs several turns of the event loop (file-system calls, then the spawn). */
function slowStart(turns: number): { start: () => Promise<void>; done: () => boolean } {
  let finished = false;
  const start = async () => {
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
    finished = true;
  };
  return { start, done: () => finished };
}

describe('loadStages', () => {
  it('waits for the build to start what the change starts, with the pipeline already loaded', async () => {
    await import('../src/lib/ingest/index.ts'); // loaded, as in a watch process's second build
    const { start, done } = slowStart(5);
    const stages = await loadStages(start);
    expect(done()).toBe(true);
    expect(typeof stages.articlesFromFile).toBe('function');
  });

  it('goes on when the start fails or there is nothing to tell', async () => {
    const stages = await loadStages(() => Promise.reject(new Error('astro lock held')));
    expect(typeof stages.prepareShard).toBe('function');
    expect(typeof (await loadStages(undefined)).digestStory).toBe('function');
  });
});
