/**
 * The learned block model: gradient-boosted depth-limited trees over the block
 * features (block-features.ts), giving each block of a page the probability
 * that it is article text. Its weights are block-model.json, fitted by
 * scripts/train/cleaner.ts (`npm run train:cleaner`) on pages aligned with
 * their gold bodies; this module only reads them. Pure: no I/O, the weights
 * arrive as a JSON import.
 */
import modelJson from './block-model.json' with { type: 'json' };
import { FEATURE_NAMES, STACK_FEATURES, stackFeatures, type Lexicon } from './block-features.ts';
import { compileTrees, treesLogit, type Trees, type TreesJson } from '../trees.ts';

export { compileTrees, type Trees };

/** The JSON form the training script writes. */
export interface BlockModelJson {
  version: 1;
  /** How it was made: script, seed, the hash of the training data, sizes. */
  trainedOn: { script: string; seed: number; dataHash: string; pages: number; blocks: number; sets: Record<string, number> };
  features: string[];
  depth: number;
  /** The log-odds every tree adds to. */
  base: number;
  /** Trees in heap order: node k's children are 2k+1 and 2k+2; `f` -1 sends every row left. */
  trees: TreesJson['trees'];
  /** The second stage over the first stage's probabilities (STACK_FEATURES), if any. */
  stack?: TreesJson;
  /** Learned boilerplate weights of words (see Lexicon). */
  lexicon: Record<string, number>;
  /** How probabilities become the article (see decode in clean.ts). */
  decode: BlockDecode;
}

/**
 * Turning block probabilities into the article: a block is good when its
 * probability reaches `threshold`; the article is the contiguous stretch with
 * the best balance of good over bad, each block weighing (p - threshold) times
 * its length (at least `minLength` characters, so short chrome still counts).
 */
export interface BlockDecode {
  threshold: number;
  minLength: number;
}

export interface BlockModel extends Trees {
  stack: Trees | null;
  lexicon: Lexicon;
  decode: BlockDecode;
  trainedOn: BlockModelJson['trainedOn'];
}

/** Reads a model's JSON; fails loudly when it was fitted to other features than this code computes. */
export function loadBlockModel(json: BlockModelJson): BlockModel {
  if (json.version !== 1) throw new Error(`block model: unknown version ${json.version}`);
  if (json.features.join(',') !== FEATURE_NAMES.join(',')) {
    throw new Error('block model: its features differ from block-features.ts; retrain with `npm run train:cleaner`');
  }
  return {
    ...compileTrees(json),
    stack: json.stack ? compileTrees(json.stack) : null,
    lexicon: new Map(Object.entries(json.lexicon)),
    decode: json.decode,
    trainedOn: json.trainedOn,
  };
}

/** The first stage's probabilities alone (the training script stacks on them). */
export function firstStage(model: Trees, rows: Float64Array[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = 1 / (1 + Math.exp(-treesLogit(model, rows[i])));
  return out;
}

/** Probability that each block is article text: the first stage, then the second over it when the model has one. */
export function blockProbabilities(model: BlockModel, rows: Float64Array[]): Float64Array {
  const p = firstStage(model, rows);
  return model.stack ? firstStage(model.stack, stackFeatures(rows, p)) : p;
}

export { STACK_FEATURES };

let committed: BlockModel | undefined;
/** The committed model (block-model.json), read on first use. */
export function defaultBlockModel(): BlockModel {
  return (committed ??= loadBlockModel(modelJson as BlockModelJson));
}
