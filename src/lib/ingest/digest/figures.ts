/**
 * Figures: numbers with what they count ("40 people", "$1.2 billion",
 * "5 percent"), to show the numbers only one source gives and to flag the same
 * kind of figure reported with different values.
 *
 * Regexes, not a parser: compromise's number plugin would also read "two"
 * and "dozens", but it is slow (tens of ms per article) and most conflicts in
 * news are written in digits. Years, dates and times are not figures.
 */
import { foldForCompare } from '../../text.ts';

export interface Figure {
  /** As written, e.g. "at least 40 people" -> "40 people". */
  text: string;
  /** Normalised value, e.g. "1200000000" or "5". */
  value: string;
  /** What it counts, folded: "people", "percent", "dollars", "troops". */
  kind: string;
}

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const MONTH = /(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$/i;
/** Words that say a number is not a count of something. */
const NOT_KINDS = new Set(
  'a an the and or of to in on at by for from with as is was are were has have had be been that this it its than after before about over under between since until when while who which year years old day days week weeks month months hour hours minute minutes am pm a.m p.m time times th st nd rd per cent'.split(' '),
);

const NUMBER = /(?<![\p{L}\p{N}.,])(\$|€|£)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|per cent|thousand|million|billion|trillion))?(?:\s+([\p{L}][\p{L}'’-]*))?/gu;

export function findFigures(text: string): Figure[] {
  const out: Figure[] = [];
  let m: RegExpExecArray | null;
  NUMBER.lastIndex = 0;
  while ((m = NUMBER.exec(text))) {
    const [, currency, digits, scaleWord, w1] = m;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    // Dates ("June 2", "2 June"), years, times and ordinals are not figures.
    if (MONTH.test(before)) continue;
    if (w1 && MONTH.test(`${w1} `.trim()) && !scaleWord && !currency) continue;
    if (!currency && !scaleWord && /^(1[89]|20)\d\d$/.test(digits)) continue;
    if (w1 && /^(?:st|nd|rd|th|a\.m|p\.m|am|pm)$/i.test(w1)) continue;
    let n = Number(digits.replace(/,/g, ''));
    const scale = scaleWord?.toLowerCase();
    if (scale && SCALE[scale]) n *= SCALE[scale];
    let kind: string | null = null;
    // Shown as written: the number and its scale, plus the counted noun when there is one.
    const prefix = m[0].match(/^(?:\$|€|£)?[\d,.]+(?:\s*(?:%|percent|per cent|thousand|million|billion|trillion))?/i)![0];
    let shown = prefix;
    if (scale === '%' || scale === 'percent' || scale === 'per cent') kind = 'percent';
    else if (currency) kind = currency === '$' ? 'dollars' : currency === '€' ? 'euros' : 'pounds';
    else {
      // The counted noun must follow the number directly (or its scale word), in lower case ("3 Doors Down" is a name).
      if (!w1 || NOT_KINDS.has(w1.toLowerCase()) || SCALE[w1.toLowerCase()] || !/^\p{Ll}/u.test(w1)) continue;
      kind = foldForCompare(w1).replace(/'s$/, '');
      shown = m[0].slice(0, m[0].indexOf(w1, prefix.length) + w1.length);
    }
    if (!kind || !Number.isFinite(n)) continue;
    out.push({ text: shown.trim(), value: String(n), kind });
  }
  return out;
}

export interface Conflict {
  kind: string;
  values: Array<{ value: string; articles: number[] }>;
}

/**
 * The same kind of figure with different values across cards. Conservative:
 * a kind counts only when every card reporting it gives a single value for it
 * (an article listing several percentages is not contradicting anyone).
 */
export function conflicts(figuresByArticle: Figure[][], cards: number[]): Conflict[] {
  const byKind = new Map<string, Map<number, Set<string>>>();
  const shownOf = new Map<string, string>();
  figuresByArticle.forEach((figs, ai) => {
    const card = cards[ai];
    if (card !== ai) return; // republications repeat their original
    for (const f of figs) {
      if (!byKind.has(f.kind)) byKind.set(f.kind, new Map());
      const perCard = byKind.get(f.kind)!;
      if (!perCard.has(card)) perCard.set(card, new Set());
      perCard.get(card)!.add(f.value);
      const key = `${f.kind}\t${f.value}`;
      if (!shownOf.has(key)) shownOf.set(key, f.text);
    }
  });
  const out: Conflict[] = [];
  for (const [kind, perCard] of [...byKind].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (perCard.size < 2 || [...perCard.values()].some((v) => v.size !== 1)) continue;
    const values = new Map<string, number[]>();
    for (const [card, set] of perCard) {
      const v = [...set][0];
      if (!values.has(v)) values.set(v, []);
      values.get(v)!.push(card);
    }
    if (values.size < 2) continue;
    out.push({
      kind,
      values: [...values]
        .map(([v, articles]) => ({ value: shownOf.get(`${kind}\t${v}`) ?? v, articles: articles.sort((a, b) => a - b) }))
        .sort((a, b) => a.articles[0] - b.articles[0]),
    });
  }
  return out;
}

/** Per card: figures whose value no other card mentions (in any figure, or as the same digits). */
export function onlyHereFigures(figuresByArticle: Figure[][], cards: number[], foldedBodies: string[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const cardIds = [...new Set(cards)];
  if (cardIds.length < 2) return out;
  for (const c of cardIds) {
    const others = cardIds.filter((o) => o !== c);
    const seen = new Set<string>();
    const mine: string[] = [];
    for (const f of figuresByArticle[c]) {
      if (seen.has(f.value)) continue;
      seen.add(f.value);
      const elsewhere = others.some((o) => figuresByArticle[o].some((g) => g.value === f.value) || foldedBodies[o].includes(` ${foldForCompare(f.text)} `));
      if (!elsewhere) mine.push(f.text);
    }
    if (mine.length) out.set(c, mine.slice(0, 6));
  }
  return out;
}
