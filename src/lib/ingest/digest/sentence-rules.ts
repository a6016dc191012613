/**
 * What a reader must never see in "What happened": the rules a summary
 * sentence passes before any scoring. Pure regexes over one sentence; a
 * sentence either is fine on its own, fine only right after the sentence that
 * precedes it in its article (it leans on it: "He said…", "But…"), or never
 * fine (a question, a cut-off or unattributed quote, a truncated line).
 *
 * Also the one change a summary may make to a sentence: a leading dateline
 * ("WASHINGTON —", "(Reuters) -", "CHARLESTON, S.C. —") is trimmed; what is
 * left is still verbatim in the body.
 */

export type Fit = 'alone' | 'after-previous' | 'never';

export interface SentenceFit {
  fit: Fit;
  /** Why it is not fine alone (for tests and debugging). */
  reason: string | null;
}

/**
 * Openings that point back at an earlier sentence: personal and demonstrative
 * pronouns, and connectives. "This week", "That same day" are time phrases, not
 * references, and "It is/was … (that|to|whether)" is usually an expletive, but
 * both are rare enough in leads that treating them as references costs little.
 */
const LEANS_ON_PREVIOUS =
  /^["“‘'(]*\s*(?:he|she|they|it|him|her|them|his|hers|their|theirs|its|this|that|these|those|but|and|or|so|also|yet|still|however|meanwhile|instead|then|thus|therefore|hence|moreover|furthermore|additionally|nevertheless|nonetheless|besides|otherwise|likewise|similarly|accordingly|consequently|regardless|in addition|as a result|at the same time|even so|in turn|for (?:his|her|their|its) part|on the other hand|by contrast|in contrast|in response|in a statement)\b(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|night|summer|winter|spring|fall|autumn|season|time|past|same day)\b)/i;

/** A said-verb whose subject is a pronoun: the speaker is named in an earlier sentence. */
// Only "he said": in "Biden said he would…" the pronoun is the reported clause's subject, not the speaker.
const PRONOUN_SPEAKER = /\b(?:he|she|they)\s+(?:said|says|added|adds|told|tells|wrote|writes|noted|argued|explained|continued|insisted|warned|stated|asked)\b/i;

/** Attribution inside the sentence: a said-verb, "according to", or a "Name said:" lead-in. */
const ATTRIBUTION =
  /\b(?:said|says|say|saying|added|adds|told|tells|telling|wrote|writes|write|stated|states|noted|notes|explained|explains|argued|argues|continued|asked|asks|warned|warns|insisted|insists|declared|declares|recalled|replied|responded|remarked|acknowledged|acknowledges|emphasized|emphasised|stressed|concluded|announced|announces|posted|tweeted|claimed|claims|called|calls|described|describes|reads?|according to|quoted|quipped|joked|admitted|admits|urged|urges|vowed|vows|promised|promises|accused|accuses|blasted|slammed|praised|criticized|criticised|dubbed|labeled|labelled|branded|tweet|statement|spoke|spoken|speaking|testified|recounted|commented|explaining|adding|arguing|warning|noting|writing)\b/i;

/** Quoted spans of a sentence (curly or straight double quotes). */
const QUOTED = /“([^“”]*)”|"([^"]*)"/g;

/** Sentences cut off by the scraper or the source's excerpt ("… shot and killed after..."). */
const TRUNCATED = /(?:\.\.\.|…)\s*["”’]?$/;
/** A whole sentence the excerpt ended after ("… from 1989 to 1993...."): the ellipsis goes, the sentence stays. */
const AFTER_END = /([.!?]["”’)]?)\s*(?:\.\.\.|…)$/;

/** Words in a sentence, as the summary budget counts them. */
const words = (text: string): number => text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * A leading dateline, trimmed: "WASHINGTON —", "WASHINGTON (Reuters) -",
 * "(Reuters) -", "CHARLESTON, S.C. —", "KYIV, Ukraine (AP) —". A place in
 * capitals (optionally ", State" or ", Country"), an optional agency in
 * brackets, then a dash. Only a dash after them counts: "WASHINGTON" alone
 * may be the start of a sentence in capitals.
 */
const DATELINE =
  /^(?:(?:\p{Lu}[\p{Lu}.'’-]*(?:\s+\p{Lu}[\p{Lu}.'’-]*){0,3})(?:,\s*\p{Lu}[\p{L}.]*(?:\s+\p{Lu}[\p{L}.]*){0,2})?\s*)?(?:\((?:\p{Lu}[\p{L}.&]*)(?:\s+\p{Lu}[\p{L}.&]*){0,3}\)\s*)?(?:—|–|--|-)\s+(?=["“‘(]?[\p{Lu}\p{N}])/u;

/**
 * The sentence as the summary shows it: a leading dateline and an ellipsis
 * after the final stop trimmed. Still a verbatim piece of the body.
 */
export function summaryText(sentence: string): string {
  return trimDateline(sentence.trim().replace(AFTER_END, '$1'));
}

export function trimDateline(sentence: string): string {
  const m = sentence.match(DATELINE);
  if (!m || m[0].length === 0) return sentence;
  // At least a place in capitals or an agency: a bare leading dash is not a dateline.
  if (!/\p{Lu}{2}|\(/u.test(m[0])) return sentence;
  const rest = sentence.slice(m[0].length).trim();
  return words(rest) >= 4 ? rest : sentence;
}

/** Whether a sentence may stand in the summary, and on what condition. */
export function sentenceFit(text: string, maxWords: number): SentenceFit {
  const t = text.trim();
  if (words(t) > maxWords) return { fit: 'never', reason: 'too long' };
  if (/\?["”’')\]]*$/.test(t)) return { fit: 'never', reason: 'question' };
  if (TRUNCATED.test(t) && !AFTER_END.test(t)) return { fit: 'never', reason: 'cut off' };
  if (!/[.!?…]["”’')\]]*$/.test(t)) return { fit: 'never', reason: 'no sentence end' };
  // Unbalanced double quotes: a piece of a quote that spans sentences.
  const marks = t.match(/[“”"]/g)?.length ?? 0;
  if (marks % 2 === 1) return { fit: 'never', reason: 'part of a longer quote' };
  // A quotation (six words or more, as quotes.ts counts one; not a scare quote) needs its speaker in the sentence.
  let quoted = 0;
  for (const m of t.matchAll(QUOTED)) quoted = Math.max(quoted, words(m[1] ?? m[2] ?? ''));
  const outside = t.replace(QUOTED, ' ');
  if (quoted >= 6 && !ATTRIBUTION.test(outside) && !/:\s*["“]/.test(t)) return { fit: 'never', reason: 'quote with no speaker' };
  if (LEANS_ON_PREVIOUS.test(t)) return { fit: 'after-previous', reason: 'opens with a reference to an earlier sentence' };
  // "…,” she told CNN": the speaker is in an earlier sentence, unless this one names someone before the
  // pronoun ("Gov. Andrew Cuomo declared…, which he said…").
  const speaker = PRONOUN_SPEAKER.exec(outside);
  if (speaker && !/\s\p{Lu}\p{Ll}/u.test(outside.slice(0, speaker.index))) return { fit: 'after-previous', reason: 'speaker named earlier' };
  return { fit: 'alone', reason: null };
}
