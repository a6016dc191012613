/**
 * The additive line digest (src/lib/content-digest.ts) behind the ingest's output hash, the
 * collections' stamp and the site's content key: a drop-in updates it by difference, so it must
 * be the digest of the set whatever the order and however it was reached.
 */
import { describe, expect, it } from 'vitest';
import { DIGEST_PREFIX, LineDigest, lineDigest } from '../src/lib/content-digest';

const lines = Array.from({ length: 500 }, (_, i) => `articles/2025-${String(1 + (i % 12)).padStart(2, '0')}-${i}.md\0${(i * 2654435761) >>> 0}`);

describe('line digest', () => {
  it('is the digest of the set, whatever the order', () => {
    const d = lineDigest(lines);
    expect(d.startsWith(DIGEST_PREFIX)).toBe(true);
    expect(lineDigest([...lines].reverse())).toBe(d);
    expect(lineDigest([...lines].sort())).toBe(d);
  });

  it('updated by difference equals the digest made afresh', () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const set = new Set(lines);
    let digest = LineDigest.parse(lineDigest(set))!;
    for (let step = 0; step < 300; step++) {
      const list = [...set];
      const line = list[Math.floor(rand() * list.length)];
      if (rand() < 0.4) {
        set.delete(line);
        digest.remove(line);
      } else if (rand() < 0.7) {
        const next = `${line.slice(0, line.indexOf('\0'))}\0${Math.floor(rand() * 1e9)}`;
        set.delete(line);
        set.add(next);
        digest.remove(line).add(next);
      } else {
        const fresh = `stories/s-${step}.json\0${Math.floor(rand() * 1e9)}`;
        set.add(fresh);
        digest.add(fresh);
      }
      // Through its text, as the output stamp keeps it between runs.
      digest = LineDigest.parse(digest.toString())!;
      expect(digest.toString()).toBe(lineDigest(set));
    }
  });

  it('tells sets apart: a line changed, gone or added; the empty set; and reads only its own form', () => {
    const d = lineDigest(lines);
    expect(lineDigest(lines.slice(1))).not.toBe(d);
    expect(lineDigest([...lines, 'stories/x.json\0y'])).not.toBe(d);
    expect(lineDigest([`${lines[0]}0`, ...lines.slice(1)])).not.toBe(d);
    // Two lines swapping their hashes is another set.
    const [a, b] = [lines[0].split('\0'), lines[1].split('\0')];
    expect(lineDigest([`${a[0]}\0${b[1]}`, `${b[0]}\0${a[1]}`, ...lines.slice(2)])).not.toBe(d);
    expect(lineDigest([])).toBe(`${DIGEST_PREFIX}${'0'.repeat(32)}`);
    expect(LineDigest.parse('0'.repeat(64))).toBeNull();
    expect(LineDigest.parse(`${DIGEST_PREFIX}${'0'.repeat(64)}`)).toBeNull();
    expect(LineDigest.parse(d)!.toString()).toBe(d);
  });
});
