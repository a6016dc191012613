/**
 * A pre-test in front of chrono-node (metadata.ts `chronoDay`): does a string
 * hold anything from which chrono-node 2.10's English casual parser can make a
 * result whose year, month and day are all *certain*? When not, chronoDay is
 * provably null (it only takes a first result with all three certain) and
 * chrono-node need not run.
 *
 * Why: chrono-node is the metadata stage's costliest call. Its first calls
 * in a process compile and then tier up its large regexes (hundreds of
 * milliseconds under load), and on a news corpus it mostly runs on leads
 * such as "… grew 8% in 2004 …" that it reads as no date at all.
 *
 * Why exact: the test errs only one way. Every pattern below is a superset
 * of what some chrono-node parser or refiner needs before it can *assign*
 * the day (node_modules/chrono-node/dist/esm/locales/en, common, results.js,
 * calculation/duration.js); a string that matches any of them goes to
 * chrono-node as before, so an over-eager pattern costs a call, never a
 * different date. test/date-forms.test.ts runs both over a battery of
 * tricky strings. Where chrono-node only *implies* the day it is no source:
 * weekdays ("last Tuesday": addDurationAsImplied), times and casual times
 * ("at 5pm", "this morning", "midnight"), month-and-year ("September 2003",
 * "2004 March", "5/2004"), "this week", and durations in whole months,
 * quarters or years ("last month", "three years ago").
 *
 * chrono-node's patterns are case-insensitive without the `u` flag, as these
 * are, so both fold case alike (ASCII only); `\s` and `\W` mean the same in both.
 *
 * Written against chrono-node 2.10.3 (package-lock.json). On an upgrade, read its
 * English parsers and refiners again: the test fails when a form of its battery
 * changes, not for a form it does not hold.
 */

/**
 * The chrono-node release the patterns below were read from. package.json pins it exactly, and
 * test/date-forms.test.ts fails when the installed one differs, so an upgrade cannot change a
 * date silently: read the new release's English parsers, then move this.
 */
export const CHRONO_VERSION = '2.10.3';

/** Month names and abbreviations (chrono's MONTH_DICTIONARY): all begin with these three letters. */
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';

/**
 * chrono's ordinal words (ORDINAL_WORD_DICTIONARY: "first" … "twenty-first" … "thirty-first");
 * after the day the middle-endian pattern needs a non-word character or a range's "to".
 */
const ORDINAL_WORD =
  '(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|twentieth|thirtieth' +
  '|(?:twenty|thirty)[\\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))(?:(?![A-Za-z0-9_])|to)';

/**
 * A day beside a month name.
 * After it (MonthNameMiddleEndian "Sept. 5, 2004", YearMonthDay "2004-May-05"):
 * the day is 1-2 digits not followed by a third (chrono needs `(?=\W|$)` after
 * it, so "September 2003" reads no day), or an ordinal word. Before it
 * (MonthNameLittleEndian "5th of May", "20 July 2025"): the ordinal ends in a
 * digit run of at most two (chrono needs `(\W|^)` before it) or in st/nd/rd/th,
 * with at most "-", "/" or spaces around "of" between. The month is matched
 * anywhere, not only at a word start ("5ofjan" is a chrono date).
 */
const MONTH_DAY = new RegExp(
  `${MONTH}[a-z]*[\\s,.\\-/]*(?:[0-9]{1,2}(?![0-9])|${ORDINAL_WORD})` +
    `|(?:(?<![0-9])[0-9]{1,2}|st|nd|rd|th)\\s{0,3}(?:-|/|of)?\\s{0,3}${MONTH}`,
  'i',
);

/**
 * Numeric dates. YearMonthDay and ISO ("2004-07-20", "2004/7/20", "2004 7 20"):
 * four digits, a separator, 1-2 digits, a separator, a digit. SlashDate
 * ("5/6/2004", "05.06.04"; d/m of 1-2 digits each, `[^\d]` before): either with
 * its year, or without one but followed by a year (ENExtractYearSuffixRefiner
 * assigns it: "5/6 2004"; its year is four digits or one with an era, "44 AD": the
 * refiner skips a suffix of three characters or fewer, so "6-1 7-5" is no date).
 */
const NUMERIC_DATE =
  /[0-9]{4}[-./\s][0-9]{1,2}[-./\s][0-9]|(?<![0-9])[0-9]{1,2}[-./][0-9]{1,2}(?![0-9])(?:[-./][0-9]|\s*(?:[0-9]{4}|[0-9]{1,4}\s{0,2}[abc][a-z]))/i;

/** ENCasualDateParser: words that assign the reference day or one beside it (`(\W|^)` before, `(?=\W|$)` after). */
const CASUAL_DAY = /(?<![A-Za-z0-9_])(?:now|today|tonight|tomorrow|overmorrow|tmrw?|yesterday|last\s*night)(?![A-Za-z0-9_])/i;

/**
 * ENEndOfPeriodRefiner and ENEndOfCurrentMonthParser: "end of this month",
 * "last day of March 2020" assign the last day of a period or of a result whose
 * month is certain and day is not. Such a result begins right after the prefix.
 * One beginning with digits has its month certain only as "2004 March",
 * "2004 of March" (ENYearMonthNameParser, an era allowed: "44 AD March"),
 * "5/2004" (ENSlashMonthFormatParser) or "2004 months"/"1.5 years" (a duration in
 * months, quarters or years); "the end of 2004, …" is none of them.
 */
const END_OF_PERIOD = /(?:last\s+day|end)\s+of\s+(?:the\s+)?/gi;
const YEAR_MONTH_AFTER = new RegExp(
  `^[0-9]+(?:[./][0-9]|\\s*(?:[abc][a-z]{1,2}\\s*)?[-./,]?\\s*(?:of\\s+)?(?:${MONTH}|mo|qtr|quarter|y))`,
  'i',
);

/** Whether an end-of-period prefix may stand before a result it would give a certain day. */
function endOfPeriod(text: string): boolean {
  END_OF_PERIOD.lastIndex = 0;
  for (let m = END_OF_PERIOD.exec(text); m; m = END_OF_PERIOD.exec(text)) {
    const rest = text.slice(m.index + m[0].length);
    if (!/^[0-9]/.test(rest) || YEAR_MONTH_AFTER.test(rest)) return true;
  }
  return false;
}

/**
 * What may follow a unit inside a chrono duration: a non-letter (its `(?=\W|$)`,
 * a space, a connector, the next number's digits) or, with no space, a word
 * that continues the match: "and", a number word, "ago"/"before"/"earlier",
 * "later"/"after"/"from now"/"henceforth"/"forward"/"out", "about"/"around".
 */
const UNIT_END =
  '(?:(?![A-Za-z_])|(?=and|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|an?(?![A-Za-z0-9_])|acouple|few|several|the|couple|ago|before|earlier|later|after|from|henceforth|forward|out|about|around))';

/**
 * A duration in days, weeks or finer units, which createRelativeFromReference
 * turns into a certain day ("3 days ago", "in 2 hours", "last week", "+1d",
 * "a day after"). A unit counts when it follows:
 * - digits, with or without spaces ("3d", "2 hours");
 * - a number word of chrono's NUMBER_PATTERN ("three", "a", "an", "the", "half",
 *   "few", "several", "couple", "couple of") and at least one space: glued to one
 *   ("them", "ones") the fragment is all letters and parseDuration drops it.
 *   The word begins a word, or follows the end of a unit or an "and" ("3 yearone hour");
 * - a number phrase, glued or not ("half ad", "a few h", "coupleof d"; a superset);
 * - a modifier of ENRelativeDateFormatParser, glued or not ("last week", "pasts", "after this
 *   week"); its "this" only implies a day ("this week"), and in ENTimeUnitCasualRelativeFormatParser
 *   a number follows it.
 * Spaces are not counted (chrono allows at most three): a superset.
 */
const FINE_DURATION = new RegExp(
  `(?:[0-9]\\s*` +
    `|(?:(?<![A-Za-z0-9_])|(?<=[onshryd]))(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|an?|few|several|the|couple|of)\\s+` +
    `|half\\s*an?\\s*|an?\\s*(?:few|couple)\\s*|couple\\s*(?:of)?\\s*` +
    `|(?<![A-Za-z0-9_])(?:last|past|next|after(?:\\s*this)?)\\s*)` +
    `(?:seconds?|sec|s|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|weeks?|w)${UNIT_END}`,
  'i',
);

/**
 * A fractional number of months, quarters or years: calculation/duration.js
 * carries the fraction down into weeks and days ("half a month", "1.5 months"),
 * which then makes the day certain. Whole ones only imply it.
 */
const FRACTIONAL_DURATION = new RegExp(
  `(?:half(?:\\s*an?)?|[0-9]\\.[0-9]+)\\s*(?:months?|mos?|mon|quarters?|qtr|years?|yrs?|y)${UNIT_END}`,
  'i',
);

/** The patterns by name, for the differential test to say which one sent a string to chrono-node. */
export const DAY_SOURCES: Readonly<Record<string, RegExp>> = {
  MONTH_DAY, NUMERIC_DATE, CASUAL_DAY, FINE_DURATION, FRACTIONAL_DURATION,
};

/**
 * False only when chrono-node's casual English parse of `text` provably has
 * no result with a certain year, month and day, so that chronoDay is null;
 * true means "ask chrono-node".
 */
export function chronoMayFindDay(text: string): boolean {
  return (
    MONTH_DAY.test(text) ||
    NUMERIC_DATE.test(text) ||
    CASUAL_DAY.test(text) ||
    endOfPeriod(text) ||
    FINE_DURATION.test(text) ||
    FRACTIONAL_DURATION.test(text)
  );
}
