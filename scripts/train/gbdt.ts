/**
 * Gradient-boosted trees for binary labels (logistic loss), small enough to
 * read: every feature is cut into at most `bins` quantile bins once, then each
 * tree is grown level by level to `depth`, choosing at every node the split
 * with the largest gain in the second-order objective (as in XGBoost / LightGBM's
 * histogram method), with an L2 penalty `lambda` on leaf values and a floor on
 * each child's hessian. Rows may carry weights. Row subsampling uses a seeded
 * PRNG, so the same data and seed give the same trees.
 *
 * Written here (about 150 lines) rather than taken from npm: the packages that
 * train boosted trees in JavaScript are either unmaintained or bring a native
 * or WebAssembly runtime, and inference (src/lib/ingest/clean/block-model.ts)
 * needs nothing but the trees' numbers.
 */
import { mulberry32 } from '../bench/corpus.ts';

export interface GbdtOptions {
  /**
   * Rows fall into groups (consecutive rows with the same id), of which at most
   * one row is the answer (label 1): the loss is then the softmax cross-entropy
   * within each group, with an extra "none of them" option fixed at score 0, as
   * in listwise ranking. A row's score then only has to beat its group's other
   * rows (a headline need not look like every other page's headline, only more
   * like one than the page's other lines), and a score above 0 beats "none".
   * Row subsampling takes or leaves whole groups. Absent: logistic loss per row.
   */
  groups?: Int32Array;
  trees: number;
  depth: number;
  learningRate: number;
  lambda: number;
  minChildWeight: number;
  bins: number;
  /** Share of rows each tree sees (1 = all). */
  subsample: number;
  seed: number;
}

export const defaultGbdtOptions: GbdtOptions = { trees: 100, depth: 3, learningRate: 0.1, lambda: 1, minChildWeight: 0.5, bins: 32, subsample: 0.7, seed: 17 };

export interface Tree {
  f: number[];
  t: number[];
  v: number[];
}

export interface Fitted {
  base: number;
  depth: number;
  trees: Tree[];
}

/**
 * Log-odds of fitted trees for one row, in the fitter's own form (heap order,
 * node k's children 2k+1 and 2k+2; feature -1 sends left): what
 * src/lib/ingest/trees.ts treesLogit gives once the trees are compiled, for
 * the training scripts' screens (they enter ingest/ only through its index).
 */
export function fittedLogit(m: Fitted, row: ArrayLike<number>): number {
  const internal = (1 << m.depth) - 1;
  let sum = m.base;
  for (const tree of m.trees) {
    let k = 0;
    while (k < internal) k = tree.f[k] < 0 || row[tree.f[k]] <= tree.t[k] ? 2 * k + 1 : 2 * k + 2;
    sum += tree.v[k - internal];
  }
  return sum;
}

/** Bin edges per feature: up to `bins - 1` distinct quantile thresholds. */
function binEdges(rows: Float64Array[], feature: number, bins: number): number[] {
  const values = Float64Array.from(rows, (r) => r[feature]).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const v = values[Math.floor((b * values.length) / bins)];
    if (edges.length === 0 || v > edges[edges.length - 1]) edges.push(v);
  }
  // A threshold equal to the largest value splits nothing.
  while (edges.length && edges[edges.length - 1] >= values[values.length - 1]) edges.pop();
  return edges;
}

/** Bin of a value: the number of edges below it (row <= edges[b] goes to bin b or lower). */
function binOf(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function fitGbdt(rows: Float64Array[], labels: Uint8Array, weights: Float64Array, options: Partial<GbdtOptions> = {}): Fitted {
  const o = { ...defaultGbdtOptions, ...options };
  const n = rows.length;
  const nf = rows[0]?.length ?? 0;
  const edges = Array.from({ length: nf }, (_, f) => binEdges(rows, f, o.bins));
  // Row-major bins: the histogram pass reads one row's bins together.
  const binned = new Uint8Array(n * nf);
  for (let i = 0; i < n; i++) for (let f = 0; f < nf; f++) binned[i * nf + f] = binOf(edges[f], rows[i][f]);
  let wp = 0;
  let wt = 0;
  for (let i = 0; i < n; i++) {
    wt += weights[i];
    if (labels[i]) wp += weights[i];
  }
  const prior = Math.min(0.999, Math.max(0.001, wp / wt));
  const groups = o.groups;
  // Grouped rows start level with "none" (score 0); the trees learn the rest.
  const base = groups ? 0 : Math.log(prior / (1 - prior));
  const score = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const node = new Int32Array(n);
  const rnd = mulberry32(o.seed);
  const trees: Tree[] = [];
  const internal = (1 << o.depth) - 1;
  const nb = o.bins;
  for (let t = 0; t < o.trees; t++) {
    if (groups) {
      for (let start = 0; start < n; ) {
        let end = start;
        let max = 0;
        while (end < n && groups[end] === groups[start]) max = Math.max(max, score[end++]);
        let z = Math.exp(-max);
        for (let i = start; i < end; i++) z += Math.exp(score[i] - max);
        const keep = o.subsample >= 1 || rnd() < o.subsample;
        for (let i = start; i < end; i++) {
          const p = Math.exp(score[i] - max) / z;
          const w = keep ? weights[i] : 0;
          g[i] = (p - labels[i]) * w;
          h[i] = Math.max(1e-12, p * (1 - p)) * w;
          node[i] = 0;
        }
        start = end;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-score[i]));
        const w = o.subsample >= 1 || rnd() < o.subsample ? weights[i] : 0;
        g[i] = (p - labels[i]) * w;
        h[i] = Math.max(1e-12, p * (1 - p)) * w;
        node[i] = 0;
      }
    }
    const tree: Tree = { f: new Array(internal).fill(-1), t: new Array(internal).fill(0), v: new Array(internal + 1).fill(0) };
    for (let level = 0; level < o.depth; level++) {
      const first = (1 << level) - 1;
      const width = 1 << level;
      // Histograms of g and h per node of this level, feature and bin.
      const G = new Float64Array(width * nf * nb);
      const H = new Float64Array(width * nf * nb);
      for (let i = 0; i < n; i++) {
        if (h[i] === 0 && g[i] === 0) continue;
        const k = node[i] - first;
        if (k < 0) continue;
        const at = k * nf * nb;
        const gi = g[i];
        const hi = h[i];
        const row = i * nf;
        for (let f = 0, off = at; f < nf; f++, off += nb) {
          const b = off + binned[row + f];
          G[b] += gi;
          H[b] += hi;
        }
      }
      for (let k = 0; k < width; k++) {
        let gt = 0;
        let ht = 0;
        for (let b = 0; b < nb; b++) {
          gt += G[k * nf * nb + b];
          ht += H[k * nf * nb + b];
        }
        const parent = (gt * gt) / (ht + o.lambda);
        let bestGain = 1e-9;
        let bestF = -1;
        let bestB = 0;
        for (let f = 0; f < nf; f++) {
          let gl = 0;
          let hl = 0;
          const at = k * nf * nb + f * nb;
          for (let b = 0; b < edges[f].length; b++) {
            gl += G[at + b];
            hl += H[at + b];
            const gr = gt - gl;
            const hr = ht - hl;
            if (hl < o.minChildWeight || hr < o.minChildWeight) continue;
            const gain = (gl * gl) / (hl + o.lambda) + (gr * gr) / (hr + o.lambda) - parent;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestB = b;
            }
          }
        }
        const id = first + k;
        tree.f[id] = bestF;
        tree.t[id] = bestF >= 0 ? edges[bestF][bestB] : 0;
      }
      // Send every row to its child (f -1: always left, as at inference).
      for (let i = 0; i < n; i++) {
        const id = node[i];
        const f = tree.f[id];
        node[i] = f < 0 || rows[i][f] <= tree.t[id] ? 2 * id + 1 : 2 * id + 2;
      }
    }
    // Leaf values: Newton step, shrunk by the learning rate.
    const GL = new Float64Array(internal + 1);
    const HL = new Float64Array(internal + 1);
    for (let i = 0; i < n; i++) {
      GL[node[i] - internal] += g[i];
      HL[node[i] - internal] += h[i];
    }
    for (let l = 0; l <= internal; l++) tree.v[l] = HL[l] > 0 ? (-GL[l] / (HL[l] + o.lambda)) * o.learningRate : 0;
    for (let i = 0; i < n; i++) score[i] += tree.v[node[i] - internal];
    trees.push(tree);
  }
  return { base, depth: o.depth, trees };
}
