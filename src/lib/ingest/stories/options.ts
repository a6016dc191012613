/**
 * Every knob of the windowed grouping (#15), in one place. The scoring knobs
 * are the ones cluster-options.ts tuned on the dev corpus (BASIL, AllSides;
 * docs/eval-clustering.md); what is new here is time: every input an
 * article's placement reads is taken from a bounded window of days before it,
 * so a cold build and any sequence of drop-ins give the same stories, and a
 * drop-in recomputes only the days near it.
 */
import { defaultClusterOptions, type ClusterOptions } from './cluster-options.ts';

export interface StoryOptions
  extends Pick<
    ClusterOptions,
    | 'titleWeight'
    | 'maxBodyWords'
    | 'vectorTerms'
    | 'entityLeadWords'
    | 'entityWeight'
    | 'threshold'
    | 'centroidShare'
    | 'sameSourceFactor'
    | 'cohesionShare'
    | 'cohesionMax'
    | 'blockingTerms'
    | 'blockingMaxDf'
    | 'maxCandidates'
    | 'maxMembersCompared'
    | 'relatedShare'
    | 'whyTerms'
    | 'shingleWords'
    | 'shingleSample'
    | 'copyContainment'
    | 'copyCoverage'
    | 'copyMinShingles'
  > {
  /**
   * N: an article may join a story only if the story has an article dated at
   * most this many days before it. A story is scored on its articles of those
   * N days only (its centroid, its sources, its cohesion, its blocking keys),
   * so what an article sees is bounded in time: outlets retell an event within
   * days, and a follow-up weeks later is a new story. 7 covers the 0-4 day
   * spread of real retellings (BASIL: 0-3) with room for a weekend and a late
   * scrape; longer windows only add candidates.
   */
  joinWindowDays: number;
  /**
   * W: document frequencies come from the dated articles of the W days up to
   * and including the article's own day (a trailing window: articles of later
   * days never change an earlier article's weights, so a drop-in on the latest
   * day changes no weight before that day). 30 days of a newsroom's archive
   * hold thousands of articles.
   */
  dfWindowDays: number;
  /**
   * ... and the window reaches further back, day by day, until it holds at
   * least this many articles: a sparse folder (a few articles a week, or
   * events years apart as in BASIL) would otherwise weigh an event's words by
   * that event's own articles (BASIL 0.988 -> 0.972 without it).
   */
  minDfDocs: number;
  /**
   * A shorter trailing window blended in (TDT's local IDF): a topic that runs
   * for weeks weighs less than what tells this day's event from last week's.
   */
  localDfDays: number;
  /** Share of the short window's IDF in a term's weight, 0..1. */
  localIdfShare: number;
  /** A wire copy's original is looked for among articles at most this many days older (<= joinWindowDays). */
  copyWindowDays: number;
  /**
   * Beyond the story's latest day the similarity is multiplied by
   * exp(-gap / tau), tau = dateDecayDays x max(1, share / dateSpreadReference),
   * calibrated as cluster.ts does but on the days before the article (the same
   * window as its document frequencies) instead of the whole drop: share is
   * how often an article's strongest match among the candidates' articles (a
   * cosine >= spreadMatch) is dated an earlier day. Where outlets retell one
   * event over several days with their own dates (BASIL, a newsroom's year)
   * it is high and the decay relaxes; where a story has one date (AllSides) or
   * next-day pieces are separate stories it stays strict (AllSides 0.943 with
   * tau 2, 0.885 with tau 10; BASIL the reverse).
   */
  dateDecayDays: number;
  dateSpreadReference: number;
  spreadMatch: number;
  /** Strong matches needed in the window before its share is trusted; until then it is blended towards spreadPriorShare. */
  spreadPrior: number;
  spreadPriorShare: number;
  /**
   * The join threshold rises with the number of stories an article is
   * compared with (score.ts thresholdFor): by densitySlope x ln(K /
   * densityReference) above densityReference stories in view, 0 = a fixed
   * threshold. The reference is the density the threshold was tuned at (the
   * dev corpora: AllSides has about 15 stories in a 7-day view, BASIL fewer,
   * so neither moves). The slope is what the best score of an article that
   * rightly founds a story (the best of K unrelated stories) grows by per
   * ln K: on the generated year its 95th and 99th percentiles go from
   * 0.079 / 0.116 at 10,000 articles (about 44 stories in view) to
   * 0.124 / 0.162 at 100,000 (about 440): +0.045 over ln 10, 0.02.
   * docs/stories-window.md has the figures.
   */
  densityReference: number;
  densitySlope: number;
}

export const defaultStoryOptions: StoryOptions = {
  titleWeight: defaultClusterOptions.titleWeight,
  maxBodyWords: defaultClusterOptions.maxBodyWords,
  vectorTerms: defaultClusterOptions.vectorTerms,
  entityLeadWords: defaultClusterOptions.entityLeadWords,
  entityWeight: defaultClusterOptions.entityWeight,
  threshold: defaultClusterOptions.threshold,
  centroidShare: defaultClusterOptions.centroidShare,
  sameSourceFactor: defaultClusterOptions.sameSourceFactor,
  cohesionShare: defaultClusterOptions.cohesionShare,
  cohesionMax: defaultClusterOptions.cohesionMax,
  blockingTerms: defaultClusterOptions.blockingTerms,
  blockingMaxDf: defaultClusterOptions.blockingMaxDf,
  maxCandidates: defaultClusterOptions.maxCandidates,
  maxMembersCompared: defaultClusterOptions.maxMembersCompared,
  relatedShare: defaultClusterOptions.relatedShare,
  whyTerms: defaultClusterOptions.whyTerms,
  shingleWords: defaultClusterOptions.shingleWords,
  shingleSample: defaultClusterOptions.shingleSample,
  copyContainment: defaultClusterOptions.copyContainment,
  copyCoverage: defaultClusterOptions.copyCoverage,
  copyMinShingles: defaultClusterOptions.copyMinShingles,

  joinWindowDays: 7,
  dfWindowDays: 30,
  minDfDocs: 500,
  localDfDays: 7,
  localIdfShare: 0.5,
  copyWindowDays: 7,
  dateDecayDays: defaultClusterOptions.dateDecayDays,
  dateSpreadReference: 0.08,
  spreadMatch: 0.3,
  spreadPrior: 10,
  spreadPriorShare: 0.16,
  densityReference: 20,
  densitySlope: 0.02,
};
