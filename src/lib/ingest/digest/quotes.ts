/**
 * Quotes: verbatim quoted passages with their speaker, from cleaned bodies.
 *
 * Handles curly and straight double quotes, and attribution on either side:
 *   “…,” Zelenskyy said / “…,” said Peskov / “…,” Robert F. Bauer, the counsel, said
 *   Zelenskyy said: “…” / He added, “…”
 * A pronoun speaker ("he said") resolves to the last person this article named
 * as a speaker or as a "Name said" subject; when there is none, the speaker is
 * left out rather than guessed. No npm package does attribution: quote parsers
 * on npm only find the quoted spans, which is the easy part.
 */
import { foldForCompare, wordCount } from '../../text.ts';
import { shingles, type StoryText } from './summary.ts';

export interface QuoteOptions {
  /** Shortest quote worth showing, in words (scare quotes are shorter). */
  minWords: number;
  /** Most quotes per story. */
  maxQuotes: number;
  /** Share of a quote's 3-shingles another article must hold to carry it. */
  carryContainment: number;
}

export const defaultQuoteOptions: QuoteOptions = { minWords: 6, maxQuotes: 6, carryContainment: 0.9 };

export interface FoundQuote {
  text: string;
  speaker: string | null;
  /** Order in the article. */
  order: number;
}

const VERBS = 'said|says|added|adds|told|tells|wrote|writes|stated|states|noted|notes|explained|argued|continued|asked|warned|insisted|declared|recalled|replied|responded|remarked|acknowledged|emphasized|emphasised|stressed|concluded|announced|posted|tweeted';
const NAME_WORD = "(?:\\p{Lu}[\\p{L}'’.-]*|(?:de|van|von|bin|al|la|da|del)\\b)";
// A capitalised name of up to five words, optionally behind an honorific.
const NAME = `(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\\.?\\s+)?\\p{Lu}[\\p{L}'’.-]*(?:\\s+${NAME_WORD}){0,4}`;
const PRONOUN = '(?:he|she|He|She)';
/** Title words that may sit before a name in an attribution ("President", "spokesperson"). */
const TITLES = /^(?:President|Prime|Minister|Secretary|Senator|Sen|Representative|Rep|Governor|Gov|General|Gen|Chancellor|Spokesman|Spokeswoman|Spokesperson|Judge|Justice|Mayor|Chief|Director|Chairman|Chairwoman|Leader|Ambassador|King|Queen|Pope|Mr|Mrs|Ms|Dr|Prof)\.?$/;
const NOT_PEOPLE = /^(?:The|This|That|It|He|She|His|Her|They|We|I|You|A|An|In|On|At|But|And|If|When|While|As|Officials?|Police|Reports?|Sources?|Critics|Analysts|Experts|Authorities)$/;

// After the closing quote: `,” X said` / `,” said X` / `,” X, the …, said`.
const AFTER_SUBJECT = new RegExp(`^\\s*(${NAME}|${PRONOUN})(?:,[^,“”"]{1,90},)?\\s+(?:${VERBS})\\b`, 'u');
const AFTER_VERB = new RegExp(`^\\s*(?:${VERBS})\\s+(${NAME})`, 'u');
// Before the opening quote: `X said: “` / `X said, “` / `X added that “`.
const BEFORE = new RegExp(`(${NAME}|${PRONOUN})(?:,[^,“”"]{1,90},)?\\s+(?:${VERBS})(?:\\s+(?:in|on|at|to)\\s+[^:“”",]{1,60})?\\s*[:,]?\\s*(?:that\\s+)?$`, 'u');

/** Cleans a captured name: drops a trailing comma/possessive, leading titles stay out. */
function tidyName(raw: string): string | null {
  // A name never spans a sentence end: "Friday. Dmitry Peskov" -> "Dmitry Peskov" (initials like "F." stay).
  const words = (raw.trim().split(/(?<=\p{Ll}{3,}\.)\s+/u).pop() ?? '').replace(/[,.;:]+$/, '').replace(/[’']s$/, '').split(/\s+/);
  // "Ukrainian President Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy": drop everything up to the last title word.
  let cut = -1;
  for (let i = 0; i < words.length - 1; i++) if (TITLES.test(words[i])) cut = i;
  words.splice(0, cut + 1);
  const name = words.join(' ');
  if (!name || NOT_PEOPLE.test(words[0]) || TITLES.test(name)) return null;
  return name;
}

/** Quoted spans of one paragraph: [text, start, end] with quote marks excluded. */
function spans(paragraph: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  const re = /“([^“”]+)”|"([^"]+)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(paragraph))) {
    const inner = m[1] ?? m[2];
    out.push({ text: inner, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** What one paragraph says about quotes and speakers, before the article's running "last person" is applied. */
export interface ParagraphQuotes {
  spans: Array<{ text: string; words: number; pronoun: boolean; named: string | null }>;
  /** The last "Name said" subject after the paragraph's last quote, if any. */
  said: string | null;
}

const SAID = new RegExp(`(${NAME})\\s+(?:${VERBS})\\b`, 'gu');

function paragraphQuotes(p: string): ParagraphQuotes {
  const found = spans(p);
  const out: ParagraphQuotes = { spans: [], said: null };
  for (const span of found) {
    // A trailing comma inside the marks belongs to the attribution, not the quote.
    const text = span.text.trim().replace(/,$/, '').trim();
    const after = p.slice(span.end, span.end + 160);
    const before = p.slice(Math.max(0, span.start - 160), span.start);
    let raw: string | null = null;
    const a1 = after.match(AFTER_SUBJECT);
    const a2 = after.match(AFTER_VERB);
    const b1 = before.match(BEFORE);
    if (a1) raw = a1[1];
    else if (a2) raw = a2[1];
    else if (b1) raw = b1[1];
    const pronoun = !!raw && /^(?:he|she)$/i.test(raw);
    out.spans.push({ text, words: wordCount(text), pronoun, named: raw && !pronoun ? tidyName(raw) : null });
  }
  // "Name said" subjects outside quotes count as the last named person too.
  const lastEnd = found.at(-1)?.end ?? -1;
  for (const m of p.matchAll(SAID)) {
    const name = tidyName(m[1]);
    if (name && m.index! > lastEnd) out.said = name;
  }
  return out;
}

/**
 * The quotes of one article, in order, with speakers where the text names them.
 * `memo` (paragraph -> what it says) lets a story's republications, which
 * share most paragraphs, scan each distinct paragraph once.
 */
export function findQuotes(paragraphs: string[], minWords: number, memo?: Map<string, ParagraphQuotes>): FoundQuote[] {
  const out: FoundQuote[] = [];
  let lastPerson: string | null = null;
  let order = 0;
  for (const p of paragraphs) {
    let found = memo?.get(p);
    if (!found) {
      found = paragraphQuotes(p);
      memo?.set(p, found);
    }
    for (const span of found.spans) {
      const speaker = span.pronoun ? lastPerson : span.named;
      if (span.named) lastPerson = span.named;
      if (span.words >= minWords) out.push({ text: span.text, speaker, order: order++ });
    }
    if (found.said) lastPerson = found.said;
  }
  return out;
}

export interface StoryQuote {
  text: string;
  speaker: string | null;
  /** Article indexes carrying the quote. */
  articles: number[];
}

/**
 * A story's quotes: found per article, merged when another article carries the
 * same passage, ranked by how many cards carry them, then by first appearance.
 */
export function storyQuotes(text: StoryText, cards: number[], opts: QuoteOptions): StoryQuote[] {
  const merged: Array<StoryQuote & { first: number; order: number; folded: string }> = [];
  const memo = new Map<string, ParagraphQuotes>();
  text.articles.forEach((article, ai) => {
    const paragraphs = article.body.filter((b) => b.kind === 'p').map((b) => b.text);
    for (const q of findQuotes(paragraphs, opts.minWords, memo)) {
      // Only what the body holds verbatim.
      if (!text.hasVerbatim(ai, q.text)) continue;
      const folded = foldForCompare(q.text);
      const dup = merged.find((m) => {
        if (!m.articles.includes(ai)) return false;
        return m.folded.includes(folded) || folded.includes(m.folded);
      });
      if (dup) {
        dup.speaker ??= q.speaker;
        continue;
      }
      const carriers = text.carriers({ folded, shingles: shingles(folded) }, opts.carryContainment);
      merged.push({ text: q.text, speaker: q.speaker, articles: carriers.includes(ai) ? carriers : [ai, ...carriers].sort((a, b) => a - b), first: ai, order: q.order, folded });
    }
  });
  const cardCount = (q: StoryQuote) => new Set(q.articles.map((a) => cards[a])).size;
  return merged
    .sort((a, b) => cardCount(b) - cardCount(a) || Number(!!b.speaker) - Number(!!a.speaker) || a.first - b.first || a.order - b.order)
    .slice(0, opts.maxQuotes)
    .map(({ text: t, speaker, articles }) => ({ text: t, speaker, articles }));
}
