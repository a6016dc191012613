/**
 * ROUGE-1/2 F1 exactly as ../shared/tools/summary_rouge.py computes it:
 * tokens are lowercase [a-z0-9]+ runs, no stemming, no stop-word removal.
 * Used to fit and compare digest choices in-process; the figures we report
 * come from the Python scorer itself (scripts/eval/summary.ts).
 */
export const rougeTokens = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

export function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(' ');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** F1 of clipped n-gram overlap between a candidate and a reference. */
export function rougeF(candidate: string[], reference: string[], n: number): number {
  const c = ngramCounts(candidate, n);
  const r = ngramCounts(reference, n);
  let hit = 0;
  let cTotal = 0;
  let rTotal = 0;
  for (const v of c.values()) cTotal += v;
  for (const [k, v] of r) {
    rTotal += v;
    hit += Math.min(v, c.get(k) ?? 0);
  }
  if (!hit) return 0;
  const p = hit / cTotal;
  const rc = hit / rTotal;
  return (2 * p * rc) / (p + rc);
}
