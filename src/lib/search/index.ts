/** Search core: build the index at build time, search it in Node or the browser. */
export { buildSearchIndex, clip, defaultBuildOptions, serializeSearchIndex, type BuildOptions, type SearchArticleInput, type SearchStoryInput } from './build';
export { createSearcher, parseQuery, type Range, type SearchHit, type SearchOptions, type Searcher } from './search';
export { editDistance, fold, tokenize, type Token } from './text';
export { INDEX_VERSION, type SearchIndexData } from './format';
