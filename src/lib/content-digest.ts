/**
 * One hash of a set of lines (`<rel>\0<hash>` of every content file, or
 * `<rel>\0<stamp>`), that a run can update by difference: the sum, modulo
 * 2^256, of each line's SHA-256 (an additive multiset hash). The ingest's
 * output hash, the collections' stamp and the site's content key (site-index.ts
 * contentKey) are this digest, so a drop-in at 100,000 articles subtracts the
 * few lines it replaced and adds their new ones instead of sorting and hashing
 * 120,000 lines (#15: 0.6 s a drop-in). The lines of one set are distinct
 * (each names its file), which is all an additive hash needs; nothing here is
 * a defence against someone crafting files, only a check that the collections
 * are the ones a run wrote.
 *
 * Shared by the build's store and the site (pure: node:crypto only).
 */
import crypto from 'node:crypto';

/** Every digest starts so: a hash of another form (an older run's sorted-lines SHA-256) is never taken for one. */
export const DIGEST_PREFIX = 'sum:';

const LANES = 8;

/** SHA-256 of a line as eight 32-bit lanes, most significant first. */
const lineHash: (line: string) => Buffer =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (line) => (crypto as unknown as { hash(alg: string, data: string, out: 'buffer'): Buffer }).hash('sha256', line, 'buffer')
    : (line) => crypto.createHash('sha256').update(line).digest();

/** A digest being made or updated: `add` and `remove` lines in any order. */
export class LineDigest {
  private readonly lanes = new Uint32Array(LANES);

  /** A digest to update (DIGEST_PREFIX and 64 hex digits); null when `text` is not one. */
  static parse(text: string | null | undefined): LineDigest | null {
    if (!text || !text.startsWith(DIGEST_PREFIX) || !/^[0-9a-f]{64}$/.test(text.slice(DIGEST_PREFIX.length))) return null;
    const d = new LineDigest();
    const hex = text.slice(DIGEST_PREFIX.length);
    for (let i = 0; i < LANES; i++) d.lanes[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
    return d;
  }

  add(line: string): this {
    const h = lineHash(line);
    let carry = 0;
    for (let i = LANES - 1; i >= 0; i--) {
      const sum = this.lanes[i] + h.readUInt32BE(i * 4) + carry;
      this.lanes[i] = sum >>> 0;
      carry = sum > 0xffffffff ? 1 : 0;
    }
    return this;
  }

  remove(line: string): this {
    const h = lineHash(line);
    let borrow = 0;
    for (let i = LANES - 1; i >= 0; i--) {
      const diff = this.lanes[i] - h.readUInt32BE(i * 4) - borrow;
      this.lanes[i] = diff >>> 0;
      borrow = diff < 0 ? 1 : 0;
    }
    return this;
  }

  toString(): string {
    let hex = DIGEST_PREFIX;
    for (const lane of this.lanes) hex += lane.toString(16).padStart(8, '0');
    return hex;
  }
}

/** The digest of `lines` (any order; each line once). */
export function lineDigest(lines: Iterable<string>): string {
  const d = new LineDigest();
  for (const line of lines) d.add(line);
  return d.toString();
}
