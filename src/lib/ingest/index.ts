/**
 * The ingest's entry point: what the build (src/lib/build), the store
 * (src/lib/store) and the scripts use of the pure stages. Code outside
 * src/lib/ingest imports from here, never a stage module directly; tests may
 * reach a stage module to test it alone.
 *
 *   read/      decode, parse (txt, Markdown, HTML, JSON)
 *   clean/     rules, classify, clean, dedupe, repeated lines
 *   describe/  metadata, ids, outlets (named as the site's config names them)
 *   stories/   the windowed grouping: what it reads of each article (cluster-docs),
 *              entities, copy sketches, the cold pass (group, dated, undated), the
 *              incremental one (regroup), their state and options; overrides (the
 *              editors' corrections)
 *   digest/    digest, summary, quotes, figures, entities, the lexicon
 *   write/     render (records -> Markdown / JSON text)
 *   pipeline.ts runs them in order; types.ts is what they hand each other.
 *
 * Pure: nothing here (or below) touches the file system, starts a thread or
 * reads the environment (test/architecture.test.ts). Loading this module
 * loads the whole pipeline: the build imports it lazily, once it knows
 * something must be parsed or grouped. The libraries the stages call
 * (linkedom, Readability, chrono-node, compromise's lexicon) are handed in
 * with setLibraries (libraries.ts) and loaded when first needed.
 */
export {
  articlesFromFile,
  defaultIngestOptions,
  digestGrouping,
  digestStory,
  group,
  ingest,
  pathOrder,
  placeArticle,
  joinReports,
  joinShards,
  prepareAdded,
  prepareArticles,
  prepareShard,
  prepareShards,
  settleShard,
  type PreparedShard,
  type ShardBefore,
  type FileStage,
  type IngestedArticle,
  type IngestOptions,
  type IngestResult,
  type StoryInput,
  type StoryStage,
} from './pipeline.ts';
export { applyOverrides, NO_OVERRIDES, type EditorNotes, type Grouping, type OverriddenStory, type OverrideResult } from './stories/overrides.ts';
export { nameOutlet, type OutletRule } from './describe/outlets.ts';
export type { Article, Assignment, Block, CleanDoc, Hints, InputFormat, ParsedDoc, RawFile, Rejection, Removal, Warning } from './types.ts';
export { clusterDocs, type ClusterDoc, type ClusterDocOf } from './stories/cluster-docs.ts';
export { defaultClusterOptions, type ClusterOptions } from './stories/cluster-options.ts';
// The windowed grouping: cold, incremental, its state and what the build reads of it.
export { groupCold, resultOf, storyOptions, type ClusteredStory, type GroupingResult, type StateParts } from './stories/group.ts';
export { regroup, type Change, type CurrentSet, type KeptState, type RegroupResult } from './stories/regroup.ts';
export { bucketOf, dayOf, dayString, itemOf, monthOf, type Bucket, type StoryItem } from './stories/items.ts';
export { GROUPING_STATE_VERSION, type BucketState, type GroupingState, type MonthState, type PlacementRecord } from './stories/state.ts';
export { defaultStoryOptions, type StoryOptions } from './stories/options.ts';
export { articleId, settleIds, shardOf, storyId, type IdClaim } from './describe/ids.ts';
export {
  adjustLines,
  countLines,
  lineKeys,
  outletKey,
  repeatedLines,
  repeatedOf,
  withoutRepeated,
  type LineCounts,
  type OutletLines,
  type RepeatedLines,
} from './clean/repeated-lines.ts';
export { defaultDigestOptions, digest, type DigestOptions, type StoryContext } from './digest/digest.ts';
export { library, setLibraries, type Lexicon, type Libraries, type LibraryProviders } from './libraries.ts';
// What the digest's fitting and eval scripts (scripts/train/*, scripts/eval/summary.ts) read of the
// stages: the same sentence split, candidates and features the digest uses, so a fitted model
// scores what the build will pick.
export { cardsOf } from './digest/digest.ts';
export { StoryText, defaultSummaryOptions, pickByWeights, pickSummary, sameThing, summaryWeights, bestSentence, summaryCandidates, type Candidate, type SummaryOptions } from './digest/summary.ts';
export { sentenceFit, summaryText } from './digest/sentence-rules.ts';
export { CONCEPT_FEATURES, conceptFeatures, conceptsOf, sentenceModel, type SentenceModel } from './digest/sentence-model.ts';
export { TITLE_FEATURES, WORD_FEATURES, expectedF1, headlineFeatures, headlineModel, headlineWords, pickHeadline, titleMarks, titleSupport, trimOutlet, type HeadlineModel } from './digest/headline.ts';
export { REFINED_FEATURES, conceptWeights, firstWeights, refinedRows, refinedWeights, type RefineModel, type TreesModel } from './digest/sentence-model.ts';
export { SENTENCE_FEATURES, scoreSentences, sentenceFeatures } from './digest/sentence-scorer.ts';
// What the cleaner's fitting scripts (scripts/train/cleaner.ts, dataset.ts, title.ts) read of the
// clean stage: the blocks and header zones it shows its models, and the features and trees they
// score with, so a fitted model sees what the build will.
export { parse } from './read/parse.ts';
export { clean, pageBlocks, pageHeader, type CleanOptions } from './clean/clean.ts';
export { stopListForLanguage, type BlockMeasures } from './clean/classify.ts';
export { blockFeatures, FEATURE_NAMES, lexiconTokens, stackFeatures, type BlockInput } from './clean/block-features.ts';
export { compileTrees, firstStage, loadBlockModel, type BlockDecode, type BlockModel, type BlockModelJson } from './clean/block-model.ts';
export {
  decideTitle,
  loadTitleModel,
  ruleTitle,
  titleFeatures,
  titleProbabilities,
  TITLE_FEATURES as TITLE_PICK_FEATURES,
  type TitleContext,
  type TitleModel,
  type TitleModelJson,
} from './clean/title.ts';
export { chronologicalArticles as chronological } from './stories/items.ts';
export { fnv1a } from './stories/copies.ts';
export { articleMeta, escapeMarkdown, renderArticle, renderStory } from './write/render.ts';
