/**
 * One hash of a set of lines (`<rel>\0<hash>` of every content file, or
 * `<rel>\0<stamp>`), that a run can update by difference: the sum, modulo
 * 2^128, of each line's 128-bit hash (an additive multiset hash). The ingest's
 * output hash, the collections' stamp and the site's content key (site-index.ts
 * contentKey) are this digest, so a drop-in at 100,000 articles subtracts the
 * few lines it replaced and adds their new ones instead of sorting and hashing
 * 120,000 lines (#15: 0.6 s a drop-in). The lines of one set are distinct
 * (each names its file), which is all an additive hash needs. A line's hash is
 * not cryptographic (four 32-bit FNV-1a-style lanes with different odd multipliers, each
 * finished with murmur3's fmix32): a line of the output hash carries its file's
 * SHA-256 already, and the collections' stamp, made afresh from every file's
 * stat by each drop-in's check (store/corpus-memo.ts), costs what sorting and
 * hashing the lines cost (about 30 ms of CPU for 120,000 lines; a SHA-256 per
 * line was 110 ms). Nothing here is a defence against someone crafting files,
 * only a check that the collections are the ones a run wrote.
 *
 * Shared by the build's store and the site (pure: no imports).
 */

/** Every digest starts so: a hash of another form (an older run's sorted-lines SHA-256) is never taken for one. */
export const DIGEST_PREFIX = 'sum:';

const LANES = 4;
const HEX = /^[0-9a-f]{32}$/;

/** murmur3's 32-bit finaliser: every input bit moves about half the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A line's 128-bit hash, most significant lane first, into `out`. */
function lineHash(line: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  let c = 0x85ebca6b;
  let d = 0xc2b2ae35;
  for (let i = 0; i < line.length; i++) {
    const x = line.charCodeAt(i);
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
    c = Math.imul(c ^ x, 0x27d4eb2f);
    d = Math.imul(d ^ x, 0x165667b1);
  }
  out[0] = fmix32(a ^ line.length);
  out[1] = fmix32(b ^ a);
  out[2] = fmix32(c ^ b);
  out[3] = fmix32(d ^ c);
}

/** A digest being made or updated: `add` and `remove` lines in any order. */
export class LineDigest {
  private readonly lanes = new Uint32Array(LANES);
  /** Scratch for one line's hash. */
  private readonly h = new Uint32Array(LANES);

  /** A digest to update (DIGEST_PREFIX and 32 hex digits); null when `text` is not one. */
  static parse(text: string | null | undefined): LineDigest | null {
    const hex = text?.startsWith(DIGEST_PREFIX) ? text.slice(DIGEST_PREFIX.length) : '';
    if (!HEX.test(hex)) return null;
    const d = new LineDigest();
    for (let i = 0; i < LANES; i++) d.lanes[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
    return d;
  }

  add(line: string): this {
    lineHash(line, this.h);
    let carry = 0;
    for (let i = LANES - 1; i >= 0; i--) {
      const sum = this.lanes[i] + this.h[i] + carry;
      this.lanes[i] = sum >>> 0;
      carry = sum > 0xffffffff ? 1 : 0;
    }
    return this;
  }

  remove(line: string): this {
    lineHash(line, this.h);
    let borrow = 0;
    for (let i = LANES - 1; i >= 0; i--) {
      const diff = this.lanes[i] - this.h[i] - borrow;
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
