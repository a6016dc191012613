/**
 * The store's entry point: everything a build keeps between runs. Code
 * outside src/lib/store imports from here (or layout.ts, which holds names
 * only), never a store module directly; tests may reach one to test it alone.
 *
 *   layout.ts        every file in <content>/.newsfold/ and why (the inventory)
 *   log-store.ts     the Store interface and its one on-disk format; openStore, openPart
 *   fingerprint.ts   sha256, the pipeline fingerprint, source fingerprints, file stamps
 *   write-file.ts    writing a file whole (temporary file and rename)
 *   delta.ts         a delta over a whole keyed file after one more change (the page manifest's, the related lists')
 *   raw-index.ts     the drop folder's stat index
 *   file-cache.ts    per raw file: what the per-file stages made of it
 *   doc-cache.ts     per article: what clustering reads of it
 *   digest-cache.ts  per story: its digest record
 *   render-cache.ts  per collection file: the record it was rendered from, its stamp
 *   record-log.ts    the last run's records (the store's one variant: append without reading)
 *   corpus-memo.ts   the no-change shortcut: the last run's key, output hash and stamp
 *   shard-memo.ts    per shard (raw sub-folder): its settled ids, repeated lines, rejections (a drop-in skips unchanged shards)
 *   site-entries.ts  per content file: its compact site-index entry, under its stat (for the build's site index)
 *   site-related.ts  every story's related lists as the last build chose them, whole and as a delta (for a drop-in's)
 *   search-terms.ts  per article: its search keyword counts (for a partial build's index)
 *   lexicon-fs.ts    compromise's lexicon, cached as JSON beside compromise
 *   libraries-fs.ts  the libraries the stages call (linkedom, Readability, chrono-node, the lexicon), loaded on first use
 */
export {
  DIRS,
  FILES,
  OBSOLETE,
  PARTED_STORES,
  partFile,
  partPath,
  partsDir,
  STATE_DIR,
  STORES,
  stateDir,
  statePath,
  stateRel,
  type DirName,
  type FileName,
  type PartedStoreName,
  type StoreName,
  type StoreSpec,
} from './layout.ts';
export { heldText, LogStore, openPart, openStore, type Store, type StoreHeader } from './log-store.ts';
export { fileStamp, fingerprintSources, pipelineFingerprint, repoRoot, sha256, sourceFingerprint, stampOf } from './fingerprint.ts';
export { writeFileAtomic } from './write-file.ts';
export { foldDelta } from './delta.ts';
export { indexShard, parseShardEntry, rawShard, shardEntryOf, statDigest, statKey, vouchedSignature, type RawStat, type ShardIndexEntry } from './raw-index.ts';
export { withStoredCache, type CacheStats, type FileResult } from './file-cache.ts';
export { docKey, loadDoc, sketchOfText, sketchText, storeDoc, withStoredDocs, type StoredDoc } from './doc-cache.ts';
export { digestKey, withDigestCache, type DigestCacheStats, type StoryDigester } from './digest-cache.ts';
export { putRendered, recordKey, renderedFrom } from './render-cache.ts';
export { LineDigest, lineDigest } from '../content-digest.ts';
export { appendRecords, openRecordSink, readRecords, recordsOnDemand, recordsPath, recordsStamp, type RecordSink } from './record-log.ts';
export {
  collectionsStamp,
  memoFile,
  readLastRun,
  readMemo,
  readOutputStamp,
  startScan,
  writeOutputStamp,
  type MemoBody,
  type MemoHead,
  type MemoRecords,
  type MemoSummary,
  type OutputScan,
} from './corpus-memo.ts';
export { byShardOf, repeatedOfEntry, settledArticle, shardEntry, shardSignature, type ShardEntry } from './shard-memo.ts';
export { keepRelated, readKeptRelated, readSiteEntries, siteEntriesPath, type ArticleText, type CachedEntries, type ContentChanges } from './site-entries.ts';
export { searchRecords, searchTerms, searchTermsPath, type RecordsRun, type SearchIndexRun } from './search-terms.ts';
export { keptSearchIndex, type WholeSearchInput } from './search-kept.ts';
export type { SearchChanges } from './search-follow.ts';
export { compromiseLexicon, defaultLexiconCacheDir } from './lexicon-fs.ts';
export { nodeLibraries } from './libraries-fs.ts';
