/**
 * text.ts capitalisedRatio, with a scan for ASCII lines: the cleaner and the
 * title picker ask it of every header line and many body lines, and the
 * general version splits the line and runs two Unicode regexes per word.
 * Same result to the bit (same counts, same division). The scan also reads the
 * punctuation of English news text that is not ASCII (curly quotes, dashes,
 * the middle dot, the ellipsis, the pound sign, the no-break space), none of
 * it a letter; other text takes the general path.
 */
import { capitalisedRatio as capitalisedRatioOf, NEWS_PUNCTUATION } from '../../text.ts';

/** Non-ASCII code units the scan reads (text.ts NEWS_PUNCTUATION: ‘ ’ “ ” – — ― … · £ and the no-break space); none is a letter. */
const SCANNED_PUNCTUATION = new Set([...NEWS_PUNCTUATION].map((c) => c.charCodeAt(0)));

/** Share of a line's words (whitespace-separated runs holding a letter) that start with a capital, after one opening quote or bracket. */
export function capitalisedRatio(text: string): number {
  let words = 0;
  let capitalised = 0;
  // In a word: whether it holds a letter yet; its first and second characters.
  let inWord = false;
  let hasLetter = false;
  let first = 0;
  let second = 0;
  let at = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 128 && !SCANNED_PUNCTUATION.has(c)) return capitalisedRatioOf(text);
    // \s: space, \t \n \v \f \r, and the no-break space.
    if (c === 32 || (c >= 9 && c <= 13) || c === 0xa0) {
      if (inWord && hasLetter) {
        words++;
        // /^["“'‘(]?\p{Lu}/: a capital first, or after one of the openers (a capital is ASCII here).
        if ((first >= 65 && first <= 90) || ((first === 34 || first === 39 || first === 40 || first === 0x201c || first === 0x2018) && second >= 65 && second <= 90)) capitalised++;
      }
      inWord = false;
      continue;
    }
    if (!inWord) {
      inWord = true;
      hasLetter = false;
      at = 0;
      second = 0;
    }
    if (at === 0) first = c;
    else if (at === 1) second = c;
    at++;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) hasLetter = true;
  }
  if (words === 0) return 0;
  return capitalised / words;
}
