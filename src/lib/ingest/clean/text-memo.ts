/**
 * A bounded memo keyed by a line's exact text, for decisions that read the text
 * alone (issue #17, speed): the same lines come back page after page (an
 * outlet's widgets, share bars, copyright and notice lines, wire copy several
 * outlets print word for word), so a decision made once is looked up after.
 *
 * Two generations of at most `limit` entries: when the newer fills, the older
 * is dropped, and an entry found in the older is carried into the newer, so a
 * long build keeps the lines in steady use and holds at most 2 x `limit`
 * strings (module state, per worker; nothing is written anywhere).
 */
export class TextMemo<V> {
  private recent = new Map<string, V>();
  private older = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(text: string): V | undefined {
    const known = this.recent.get(text);
    if (known !== undefined) return known;
    const old = this.older.get(text);
    // Seen a generation ago and again now: kept in the newer one, so lines in steady use stay.
    if (old !== undefined) this.set(text, old);
    return old;
  }

  set(text: string, value: V): void {
    if (this.recent.size >= this.limit) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(text, value);
  }
}
