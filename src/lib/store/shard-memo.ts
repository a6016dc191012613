/**
 * The shard memo (layout.ts `shardMemo`): per shard (a raw sub-folder,
 * describe/ids.ts `shardOf`), what the per-shard stages made of its files
 * (ingest/pipeline.ts `prepareShard`), without the articles themselves: their
 * ids (raw path, part, settled id, in path order), the lines each outlet
 * repeats in the shard, and the shard's rejections and warnings. An entry is
 * stored under the shard's signature (a hash of its files' paths and
 * SHA-256s), so it answers only while none of the shard's files changed.
 *
 * With it a drop-in prepares only the shards whose files changed: an
 * article of another shard is the per-file cache's entry for its file with
 * its settled id and the shard's repeated lines removed, exactly what
 * preparing the shard again would give (`settledArticle`), and it is read
 * only when a story the drop-in regroups holds it.
 */
import type { Article, PreparedShard, Rejection, RepeatedLines, Warning } from '../ingest/index.ts';
import { sha256 } from './fingerprint.ts';

export interface ShardEntry {
  /**
   * [raw, part, settled id, outlet as written] of each article kept, in path
   * order: the outlet, so a drop-in that adds a file to the shard recounts the
   * lines of its outlet's articles only (ingest/pipeline.ts `prepareAdded`).
   */
  ids: Array<[string, number, string, string]>;
  /** The lines each outlet repeats in the shard (repeated-lines.ts `lineKey`s). */
  repeated: Array<[string, string[]]>;
  fileRejected: Rejection[];
  fileWarnings: Warning[];
  settleRejected: Rejection[];
  settleWarnings: Warning[];
}

/** A shard's signature: its files' paths and SHA-256s (any order). */
export function shardSignature(lines: string[]): string {
  return sha256([...lines].sort().join('\n'));
}

/** The files of each shard, in the order given. */
export function byShardOf<F extends { raw: string }>(files: F[], shardOf: (raw: string) => string): Map<string, F[]> {
  const byShard = new Map<string, F[]>();
  for (const f of files) {
    const s = shardOf(f.raw);
    let list = byShard.get(s);
    if (!list) byShard.set(s, (list = []));
    list.push(f);
  }
  return byShard;
}

export function shardEntry(prepared: PreparedShard): ShardEntry {
  return {
    ids: prepared.articles.map((a) => [a.raw, a.part, a.id, a.source]),
    repeated: [...prepared.repeated].map(([outlet, lines]) => [outlet, [...lines].sort()]),
    fileRejected: prepared.fileRejected,
    fileWarnings: prepared.fileWarnings,
    settleRejected: prepared.settleRejected,
    settleWarnings: prepared.settleWarnings,
  };
}

export function repeatedOfEntry(entry: ShardEntry): RepeatedLines {
  return new Map(entry.repeated.map(([outlet, lines]) => [outlet, new Set(lines)]));
}

/**
 * An article of a shard as `prepareShard` settled it, from the per-file
 * stages' articles of its file: its settled id, then its outlet's repeated
 * lines removed (`withoutRepeated`, handed in: the store does not load the
 * pipeline). Undefined when the shard did not keep it.
 */
export function settledArticle(
  fileArticles: readonly Article[],
  raw: string,
  part: number,
  id: string,
  repeated: RepeatedLines,
  withoutRepeated: (a: Article, repeated: RepeatedLines) => Article,
): Article | undefined {
  const found = fileArticles.find((a) => a.raw === raw && a.part === part);
  if (!found) return undefined;
  const renamed = found.id === id ? found : { ...found, id };
  return repeated.size ? withoutRepeated(renamed, repeated) : renamed;
}
