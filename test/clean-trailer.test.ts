/**
 * The end of a body: stray short fragments (widget labels) go, but short CJK
 * sentences (one "word" to a space-based count) and a closing HTML list stay.
 */
import { describe, expect, it } from 'vitest';
import { clean } from '../src/lib/ingest/clean/clean';
import type { ParsedDoc } from '../src/lib/ingest/types';

// Invented text, not taken from the seeds or the corpus.
const doc = (lines: string[], format: ParsedDoc['format'] = 'md'): ParsedDoc => ({
  raw: 'x.md',
  part: 0,
  format,
  hints: { title: '港の新しい時刻表' },
  lines,
  warnings: [],
});

describe('body trailer', () => {
  it('keeps closing sentences written in CJK punctuation', () => {
    const lines = [
      '港湾局は月曜日、冬の間に古い水門を交換すると発表した。技師の調査で、樫の梁が予想よりずっと早く腐っていたことが分かったという。',
      '工事の間、船は東岸の仮水路を通ることになる。',
      '作業は春までに終わる予定だ。',
      'シェア',
    ];
    const body = clean(doc(lines)).body.map((b) => b.text);
    expect(body).toContain('工事の間、船は東岸の仮水路を通ることになる。');
    expect(body).toContain('作業は春までに終わる予定だ。');
    expect(body).not.toContain('シェア');
  });

  it('still sheds short fragments without a sentence ending', () => {
    const lines = ['The river authority said on Monday that the old lock gates would be replaced over the winter, after engineers found rot.', 'Share', 'Print'];
    const out = clean(doc(lines));
    expect(out.body.map((b) => b.text)).toEqual([lines[0]]);
    expect(out.removed.filter((r) => r.kind === 'trailer').map((r) => r.text)).toEqual(['Print']);
  });
});
