/** The `--report` file's content (schema.ts `reportSchema`), from a run's records: one place for the full path and the drop-in. */
import type { IngestResult } from '../ingest/index.ts';
import type { Report } from '../schema.ts';

export function makeReport(result: Pick<IngestResult, 'articles' | 'stories' | 'rejected' | 'warnings'>, edits: Pick<IngestResult, 'hidden' | 'overrides'>): Report {
  return {
    articles: result.articles.map((a) => ({
      id: a.id,
      raw: a.raw,
      path: `articles/${a.id}.md`,
      title: a.title,
      source: a.source,
      byline: a.byline,
      date: a.date,
      url: a.url,
      story: a.story,
      copyOf: a.copyOf,
      removed: a.removed,
    })),
    stories: result.stories.map((s) => ({ id: s.id, headline: s.headline, articles: s.articles })),
    rejected: result.rejected,
    warnings: result.warnings,
    hidden: edits.hidden,
    overrides: edits.overrides,
  };
}

type Records = Pick<IngestResult, 'articles' | 'stories'>;

/**
 * A run's articles, stories and report as getters that read them only when a caller asks (`load`:
 * from the record log or the memo) and keep them once read. For the results that do not hold the
 * records (a no-change run, a drop-in, a full run with the caches): add the rest with
 * `Object.assign`, since a spread would read every getter.
 */
export function recordsOnAsk<R extends Records>(load: () => R, reportOf: (records: R) => Report): Records & { report: Report } {
  let report: Report | null = null;
  return {
    get articles() {
      return load().articles;
    },
    get stories() {
      return load().stories;
    },
    get report() {
      return (report ??= reportOf(load()));
    },
  };
}

/**
 * NEWSFOLD_TIMING's memory note for a phase line: this process's resident memory now and its peak
 * so far (the peak is what issue #15 bounds). Under `node --expose-gc` it also collects and gives the
 * live heap, which is what a phase keeps (the rest is garbage V8 has not collected yet): a measuring
 * aid, never on in a normal build.
 */
export function memoryNote(): string {
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  let note = `rss ${mb(process.memoryUsage.rss())} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const m = process.memoryUsage();
    note += `, live heap ${mb(m.heapUsed)} MB, external ${mb(m.external)} MB`;
  }
  return note;
}
