/** Search core: build the chunked index at build time, search it in Node or the browser. */
export { buildSearchRecords, clip, defaultBuildOptions, type BuildOptions, type SearchArticleInput, type SearchStoryInput, type StoryRecord } from './build';
export { chunkSearchIndex, changedFiles, defaultChunkOptions, type ChunkOptions, type SearchFiles } from './chunks';
export { createSearcher, openSearcher, parseQuery, type Range, type SearchHit, type SearchOptions, type SearchResult, type Searcher } from './search';
export { cachedSource, fetchSource, filesSource, type IndexSource } from './source';
export { editDistance, fold, tokenize, type Token } from './text';
export { INDEX_DIR, INDEX_VERSION, type SearchManifest } from './format';
