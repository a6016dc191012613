/**
 * The scoring knobs of the grouping (what an article reads of its words, how
 * it is compared with a story, wire copies), tuned on the dev corpus for the
 * whole-drop clustering that came before the windowed grouping; stories/options.ts
 * takes them over and adds the windows of time. Values were tuned on the dev
 * corpus (`npm run eval -- --only clustering`: BASIL full bodies, AllSides
 * excerpts) and checked on the UCI headlines stress set; see
 * docs/eval-clustering.md. Prefer round values: the acceptance sets are
 * held-out stories of the same sources, so a value that only wins on the
 * third decimal of the dev set is overfitting.
 */
export interface ClusterOptions {
  // --- Text features -------------------------------------------------------
  /** Title tokens count this many times: headlines name the event. */
  titleWeight: number;
  /** Only this many body words are read (leads carry the event; tails wander). */
  maxBodyWords: number;
  /** Each article vector keeps only its top terms by TF-IDF weight (noise and cost). */
  vectorTerms: number;
  /** Entities are read from the title and about this many words of lead (cost: extraction is the slowest feature). */
  entityLeadWords: number;
  /** Weight of entity overlap (capitalised names) against term cosine, 0..1. */
  entityWeight: number;

  // --- Decision ------------------------------------------------------------
  /** Combined similarity an article needs to join a story; else it founds one. */
  threshold: number;
  /**
   * Story similarity = centroidShare * cosine(story centroid)
   *                  + (1 - centroidShare) * best cosine with one member.
   * The member term lets a story grow along an event without its centroid drifting.
   */
  centroidShare: number;
  /**
   * Similarity is multiplied by this when the story already has an (independent)
   * article from the same outlet: an outlet rarely reports one event twice, and
   * its second piece is more often a next-day follow-up (a separate story).
   * Copies are exempt: they follow their original regardless.
   */
  sameSourceFactor: number;
  /**
   * A story whose articles joined it with high scores (a tight story) asks more
   * of a newcomer: the threshold rises to this share of the mean score with which
   * its articles joined (0 = fixed threshold).
   */
  cohesionShare: number;
  /** ... but never above this: near-duplicate headlines (a tight story) must not lock a story against real reports. */
  cohesionMax: number;
  /**
   * Beyond a story's latest day the similarity is multiplied by exp(-extraDays
   * / tau) (tau calibrated: stories/options.ts). Gentle on purpose: some
   * sources give only a coarse (story) date, and an undated article is never
   * penalised.
   */
  dateDecayDays: number;

  // --- Candidate blocking ----------------------------------------------------
  /** An article's top terms used as blocking keys. */
  blockingTerms: number;
  /** Terms in more than this share of articles are too common to block on. */
  blockingMaxDf: number;
  /** At most this many candidate stories (most shared keys first) are scored. */
  maxCandidates: number;
  /** Only the most recent members of a big story are compared one by one. */
  maxMembersCompared: number;

  // --- Explanations ----------------------------------------------------------
  /** A losing candidate scoring at least this share of the threshold is a near miss (`related`). */
  relatedShare: number;
  /** How many shared terms/entities explain each article's membership. */
  whyTerms: number;

  // --- Wire copies -----------------------------------------------------------
  /** Words per shingle for copy detection. */
  shingleWords: number;
  /** Keep 1 shingle hash in `shingleSample` (value-based sampling: a containment estimator). */
  shingleSample: number;
  /**
   * Share of the smaller article's sampled shingles found in the other for the
   * two to be copies. Survives an added dateline, a disclaimer, a dropped
   * paragraph; two outlets' own reports on one event share far less.
   */
  copyContainment: number;
  /**
   * ... and share of the larger one's, so a short piece that merely quotes a
   * long one is not a copy. Low on purpose: a short excerpt that lost its main
   * paragraph (AllSides excerpts have 2-3) keeps only ~40% of the original.
   */
  copyCoverage: number;
  /** Articles with fewer sampled shingles than this are never called copies (too little text). */
  copyMinShingles: number;

}

export const defaultClusterOptions: ClusterOptions = {
  titleWeight: 3,
  maxBodyWords: 400,
  vectorTerms: 60,
  entityLeadWords: 200,
  entityWeight: 0.1,

  threshold: 0.13,
  centroidShare: 0.5,
  sameSourceFactor: 0.5,
  cohesionShare: 0.6,
  cohesionMax: 0.2,
  dateDecayDays: 2,

  blockingTerms: 12,
  blockingMaxDf: 0.05,
  maxCandidates: 20,
  maxMembersCompared: 8,

  relatedShare: 0.6,
  whyTerms: 6,

  shingleWords: 5,
  shingleSample: 2,
  copyContainment: 0.6,
  copyCoverage: 0.2,
  copyMinShingles: 8,

};
