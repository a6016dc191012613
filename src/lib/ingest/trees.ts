/**
 * Boosted depth-limited trees, as every learned model of the ingest keeps
 * them: the cleaner's block model (clean/block-model.ts), its title picker
 * (clean/title.ts) and the digest's concept trees (digest/sentence-model.ts).
 * One JSON form, one compiler to flat typed arrays and one evaluator, so a
 * model fitted by scripts/train/gbdt.ts scores the same wherever it is used.
 * Pure.
 */

/** Trees as the training scripts write them: heap order, node k's children 2k+1 and 2k+2; `f` -1 sends every row left. */
export interface TreesJson {
  /** The log-odds every tree adds to. */
  base: number;
  depth: number;
  trees: Array<{ f: number[]; t: number[]; v: number[] }>;
}

/**
 * Trees compiled into flat typed arrays: tree k's internal nodes are
 * f/t[k * internal ...], its leaves v[k * leaves ...], in heap order. One
 * allocation per model and no object per tree keeps the inner loop tight.
 */
export interface Trees {
  depth: number;
  base: number;
  count: number;
  f: Int32Array;
  t: Float64Array;
  v: Float64Array;
}

/** Compiles trees as the training script and the JSON give them. */
export function compileTrees(t: TreesJson): Trees {
  const internal = (1 << t.depth) - 1;
  const leaves = internal + 1;
  const out: Trees = {
    depth: t.depth,
    base: t.base,
    count: t.trees.length,
    f: new Int32Array(t.trees.length * internal),
    t: new Float64Array(t.trees.length * internal),
    v: new Float64Array(t.trees.length * leaves),
  };
  t.trees.forEach((tree, k) => {
    out.f.set(tree.f, k * internal);
    out.t.set(tree.t, k * internal);
    out.v.set(tree.v, k * leaves);
  });
  return out;
}

/** Log-odds of the trees for one row of features. */
export function treesLogit(model: Trees, row: ArrayLike<number>): number {
  const internal = (1 << model.depth) - 1;
  const leaves = internal + 1;
  const { f, t, v } = model;
  let sum = model.base;
  for (let tree = 0, at = 0, leaf = 0; tree < model.count; tree++, at += internal, leaf += leaves) {
    let k = 0;
    while (k < internal) {
      const feature = f[at + k];
      k = feature < 0 || row[feature] <= t[at + k] ? 2 * k + 1 : 2 * k + 2;
    }
    sum += v[leaf + k - internal];
  }
  return sum;
}
