/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS): exact,
 * deterministic (no random start, no learning rate), and instant for the
 * handful of features the digest models use. No npm package: the ones on npm
 * (ml-logistic-regression and kin) use gradient descent with a learning rate
 * and epochs to tune, for a problem that has a closed-form Newton step.
 */
export interface Fitted {
  weights: number[];
  bias: number;
}

export function fitLogistic(rows: number[][], labels: number[], l2 = 1, iterations = 25): Fitted {
  const d = (rows[0]?.length ?? 0) + 1;
  const beta = new Array<number>(d).fill(0);
  const x = (r: number[], j: number) => (j === 0 ? 1 : r[j - 1]);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    rows.forEach((r, i) => {
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j] * x(r, j);
      const p = 1 / (1 + Math.exp(-z));
      const w = p * (1 - p);
      for (let j = 0; j < d; j++) {
        grad[j] += (labels[i] - p) * x(r, j);
        for (let k = 0; k <= j; k++) hess[j][k] += w * x(r, j) * x(r, k);
      }
    });
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) hess[k][j] = hess[j][k];
      // The bias is not shrunk.
      if (j > 0) {
        grad[j] -= l2 * beta[j];
        hess[j][j] += l2;
      }
    }
    const step = solve(hess, grad);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      beta[j] += step[j];
      moved = Math.max(moved, Math.abs(step[j]));
    }
    if (moved < 1e-9) break;
  }
  return { bias: beta[0], weights: beta.slice(1) };
}

/** Solves A x = b (A symmetric positive definite here) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const pivot = m[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / pivot;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const out = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * out[k];
    out[r] = s / (m[r][r] || 1e-12);
  }
  return out;
}
