/**
 * The boilerplate families the cleaner knows, as a table (in the manner of
 * Readability's REGEXPS): each rule says which lines it matches, what kind of
 * removal it records, and why it exists. Rules describe families of boilerplate
 * seen across many sites, never a phrase of one site.
 *
 * A rule only ever matches a *short* line (see `maxWords`): a real sentence that
 * happens to mention "comments" or "cookies" is longer than the widget that says it.
 */
import { isSpace } from '../../text.ts';

export interface LineRule {
  kind: string;
  /** Tested against the trimmed line. */
  pattern: RegExp;
  /** Lines with more words than this are never matched: they are prose. */
  maxWords: number;
  /**
   * A quicker pattern that every line `pattern` matches also matches (derived
   * alternative by alternative beside it): a line it misses skips `pattern`.
   * Only for a rule whose pattern is costly and tried on long lines, and only
   * when the words it needs are rare in prose, so most lines stop here.
   */
  needs?: RegExp;
  why: string;
}


const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const CLOCK = String.raw`\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?`;
const DAY = String.raw`(?:${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+${MONTH},?\s+\d{4}|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})`;

const FETCH_SEP = String.raw`[\s:=|·•,;/\[\]()<>–—-]*`;
const FETCH_PART = String.raw`(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}|\s*UTC|\s*GMT)?)?|\d{2}:\d{2}(?::\d{2})?|[1-5]\d\d\b|(?:date|fetched|fetch|crawled|crawl|scraped|retrieved|downloaded|saved|status|http|https|code|response|at|on|time)\b)`;

/**
 * Error pages: the stock 404 / 410 / "soft 404" wording of CMSs and news
 * platforms, as pattern families rather than any one site's sentence: a word for
 * the page (or article, story, link) with a phrase saying it is not found, does
 * not exist, is gone or unavailable; "we can't find …"; "nothing found"; a bare
 * status code with its reason. One family per language franc-min recognises
 * among the larger ones; non-Latin scripts use no \b (it only knows ASCII words).
 */
const EN_NOUN = String.raw`(?:page|article|story|content|post|link|url|resource|file|item|video|site|address)s?`;
const EN_GONE = String.raw`(?:(?:can(?:no|['’])?t|could(?:n['’]?t| not)) be (?:found|displayed|located)|(?:was |were |has been |have been )?not (?:be )?found|does(?:n['’]t| not) exist|did(?:n['’]t| not) exist|never existed|no longer (?:exists?|available|online|live|be found)|(?:is|are|isn['’]t|aren['’]t|is not|are not) (?:currently |temporarily |no longer )?(?:available|unavailable|accessible)|(?:has|have|may have|might have) been (?:moved|removed|deleted|archived|unpublished|taken down)|(?:has|have) expired|(?:may|might) be (?:broken|outdated|incorrect)|went missing|gone missing|is missing)`;
const ERROR_FAMILIES: string[] = [
  // English: "page … not found", "the story you requested is no longer available".
  String.raw`\b${EN_NOUN}\b.{0,60}?\b${EN_GONE}`,
  // "We can't find the page", "Oops, we couldn't locate that story".
  String.raw`\b(?:we|i)(?:['’]re| are)?\s*(?:sorry,?\s*)?(?:can(?:no|['’])?t|could(?:n['’]?t| not)|were unable to|are unable to|cannot)\s+(?:seem to\s+)?(?:find|locate|load)\b`,
  // "the page you are looking for …", "what you were looking for …" with a negative.
  String.raw`\b(?:page|article|story|content|what)\s+(?:that\s+)?you(?:['’]re|['’]ve| are| were| have)?\s+(?:looking for|trying to (?:reach|find|open|access)|requested|wanted)\b.{0,40}\b(?:not|no longer|n['’]t|never|unavailable|missing|removed)\b`,
  // WordPress-style soft 404s: "Nothing Found", "nothing was found at this location", "no results were found for the requested archive".
  String.raw`^nothing (?:was )?found[\s.!]*$|\bnothing (?:was )?found (?:at|here|for) (?:this|that|the) (?:location|address|url|page)|\bno (?:results|posts|articles|content|pages) (?:were |was )?found for the requested\b`,
  // A status code with its reason: "404", "Error 404 - Page Not Found", "HTTP 410 Gone".
  // The reason alone as a heading ("Not Found": the default error page of Apache, nginx and most servers).
  String.raw`^not found[\s.!]*$`,
  String.raw`^(?:(?:error|http(?:\/\d(?:\.\d)?)?|status|code)\s*[:#-]?\s*)?(?:404|410)\b[\s:.\-–—|!]*(?:(?:page|file|error|not|found|gone|oops|sorry|content|missing)\b[\s:.\-–—|!]*)*$`,
  // French, German, Spanish, Italian, Portuguese, Dutch, Romanian, Catalan.
  String.raw`\bpage\b.{0,50}?(?:introuvable|n['’](?:existe|est) (?:pas|plus)|(?:est |a été )?(?:non|pas) trouvée|n['’]a pas (?:pu )?être trouvée|n['’]a pas été trouvée)|\bpage (?:non trouvée|introuvable)`,
  String.raw`\bseite\b.{0,50}?\b(?:nicht (?:gefunden|gefunden werden|mehr verfügbar|verfügbar)|existiert (?:nicht|nicht mehr)|wurde (?:leider )?nicht gefunden)`,
  String.raw`\bp[áa]gina\b.{0,50}?\b(?:no (?:encontrada|existe|est[áa] disponible|se (?:ha podido encontrar|encuentra|encontr[óo]|pudo encontrar))|n[ãa]o (?:encontrada|existe|foi encontrada|est[áa] dispon[íi]vel|pode ser encontrada)|non (?:trovata|esiste|disponibile|è stata trovata|(?:è )?più disponibile)|inesistente|niet (?:gevonden|beschikbaar|meer beschikbaar)|bestaat niet|nu (?:a fost găsită|există)|no (?:s['’]ha trobat|existeix))`,
  // Polish, Czech, Slovak, Hungarian, Swedish, Danish, Norwegian, Finnish, Turkish, Indonesian/Malay, Vietnamese, Tagalog, Swahili.
  String.raw`\bnie znaleziono strony|\bstrona\b.{0,40}?\bnie (?:istnieje|została znaleziona|znaleziona|jest dostępna)|\bstránk[ay]\b.{0,40}?\b(?:nebyla nalezena|neexistuje|nenájdená|nebola nájdená)|\boldal\b.{0,40}?\bnem (?:található|létezik)|\bsidan\b.{0,40}?\b(?:hittades inte|finns inte)|\bsiden\b.{0,40}?\b(?:blev ikke fundet|findes ikke|finnes ikke|ble ikke funnet)|\bsivua\b.{0,40}?\bei (?:löytynyt|löydy)|\bsayfa\b.{0,40}?(?:bulunamad[ıi]|mevcut değil|bulunmamaktadır)|\bhalaman\b.{0,40}?\btidak (?:ditemukan|dijumpai|ada|tersedia)|không tìm thấy trang|\btrang\b.{0,30}?không (?:tồn tại|tìm thấy|có)|\bhindi (?:natagpuan|mahanap) ang pahina|\bukurasa\b.{0,30}?\bhaupatikani`,
  // Cyrillic, Greek, Hebrew, Arabic, Persian, Hindi, Bengali, Thai, CJK, Korean.
  String.raw`страниц[аыу].{0,40}?(?:не найден|не существует|удален|недоступн)|сторінк[аиу].{0,40}?(?:не знайдено|не існує|недоступн)|σελίδα.{0,40}?(?:δεν βρέθηκε|δεν υπάρχει)|(?:הדף|העמוד).{0,30}?(?:לא נמצא|אינו קיים|לא קיים)|(?:الصفحة|الصفحه).{0,30}?(?:غير موجودة|غير متوفرة|لم يتم العثور|غير متاحة)|لم يتم العثور على الصفحة|صفحه.{0,30}?(?:یافت نشد|وجود ندارد|پیدا نشد)|(?:पृष्ठ|पेज).{0,30}?(?:नहीं मिला|मौजूद नहीं|उपलब्ध नहीं)|পৃষ্ঠা.{0,30}?(?:পাওয়া যায়নি|খুঁজে পাওয়া যায়নি)|ไม่พบหน้า|(?:页面|頁面|网页|網頁|页).{0,10}?(?:未找到|不存在|找不到|无法找到|無法找到|已删除|已刪除)|找不到(?:该|該|此)?(?:页面|頁面|网页|網頁)|ページ.{0,10}?(?:見つかりません|存在しません|見つかりませんでした)|페이지.{0,12}?(?:찾을 수 없|존재하지 않)`,
];
// Case-insensitive without the `u` flag: no family needs a code-point class or
// an astral character, and V8 runs this alternation about ten times faster
// without Unicode case folding (it is tried on every line of 30 words or fewer).
export const ERROR_PAGE = new RegExp(ERROR_FAMILIES.join('|'), 'i');

/** Short enough to be a banner, and worded as an error page (ERROR_PAGE). */
export function isErrorLine(text: string, maxWords = 30): boolean {
  const t = text.trim();
  return fieldsAtMost(t, maxWords) && ERROR_PAGE.test(t);
}

/**
 * Whether `t.split(/\s+/)` (t trimmed) has at most `max` parts, without making them:
 * one more than its runs of whitespace. The metadata stage asks it of every title
 * (issue #17, speed); a line shorter than 2 x max characters cannot have more.
 */
export function fieldsAtMost(t: string, max: number): boolean {
  if (max < 1) return false;
  if (t.length < 2 * max) return true;
  let fields = 1;
  let inSpace = false;
  for (let i = 0; i < t.length; i++) {
    if (isSpace(t.charCodeAt(i))) {
      if (!inSpace && ++fields > max) return false;
      inSpace = true;
    } else inSpace = false;
  }
  return true;
}

/** Rules that remove a single line. Order matters only for the recorded kind. */
export const LINE_RULES: LineRule[] = [
  {
    kind: 'status-header',
    // Crawlers prefix dumps with a fetch record: a date and an HTTP status code.
    // Any arrangement of an ISO date (and time), a status code and the words of a
    // fetch record ("date", "fetched", "HTTP", "code", "status=") with separators,
    // and nothing else: "2024-03-02 | HTTP 403", "[2024-03-02] 404", "HTTP 200 · retrieved 2024-03-02".
    pattern: new RegExp(
      String.raw`^(?=.*\d{4}-\d{2}-\d{2})(?=.*(?<![\d:.-])[1-5]\d\d(?![\d:.-]))${FETCH_SEP}(?:${FETCH_PART}${FETCH_SEP})+$|^(?:status|http)[:\s]*[1-5]\d\d(?:\s+\S+){0,3}$`,
      'i',
    ),
    maxWords: 8,
    why: 'fetch metadata a scraper wrote above the page; its date is kept as the article date',
  },
  {
    kind: 'error-banner',
    // "Sorry!!", "Oops!", "Error!" standing alone, and "page not found" banners that
    // CMSs render above the real article when a related widget 404s.
    pattern: /^(?:sorry|oops|error|whoops|uh[- ]oh)\b[\s!.:]*$|\b(?:page|article|story|content|url|link)\b.{0,40}\b(?:(?:does ?n[o']t|did ?n[o']t|no longer|never) exis(?:ts?|ted)|not (?:be )?found|(?:is|are|were) (?:looking for|after|trying to (?:reach|open|find))|requested (?:could not|cannot|can't)|(?:has|have) been (?:moved|removed|deleted)|(?:is|are) (?:no longer )?(?:available|unavailable)\b|may be broken)|^(?:error\s*)?404\b|\b404\b.{0,20}\bnot found\b|\b(?:can(?:no|['’])t|could(?:n['’]?t| not)|unable to)\s+(?:seem to\s+)?(?:find|locate|load|display)\b.{0,30}\b(?:page|article|story|content|link|what you)/i,
    maxWords: 30,
    why: 'error and 404 banners are page chrome, not article text',
  },
  {
    kind: 'error-banner',
    pattern: ERROR_PAGE,
    maxWords: 30,
    why: 'stock 404 / 410 / soft-404 wording of CMSs and news platforms, in many languages',
  },
  {
    kind: 'error-banner',
    // A few words opening with an apology or interjection, standing alone: "Oops, sorry!", "Whoops...".
    pattern: /^(?:sorry|oops|whoops|uh[- ]?oh|hmm+|argh|yikes|error)\b[^.!?]{0,24}[\s!.…]*$/i,
    maxWords: 4,
    why: 'the exclamation over an error banner',
  },
  {
    kind: 'widget',
    // Comment widgets: "Comments", "CommentsNo comment", "3 Comments", "Leave a comment",
    // and the gate in front of the comment box ("you must be logged in to post a comment").
    pattern: /^(?:\d+\s*)?comments?\s*(?:\(\d+\)|\d+|no\s*comments?(?:\s*yet)?|(?:are |is )?(?:closed|disabled|off))?[.!]?$|^(?:no|zero) (?:comments?|replies|responses)(?: (?:yet|so far|here))?[.!]?$|^(?:view|show|see|read|load|hide|open)\s+(?:all\s+|the\s+)?\d+\s+(?:comments?|replies|responses)\b|^(?:leave|add|post|write|show|view|load|hide)\s+(?:a\s+|your\s+|all\s+|more\s+)?(?:comments?|replies|reply)\b|^(?:be the first to comment|join the (?:conversation|discussion))\b|^(?:you )?(?:must|need to|have to|please) (?:be )?(?:log(?:ged)? ?in|sign(?:ed)? ?in|register(?:ed)?|a (?:member|subscriber))\b.{0,30}\b(?:comment|reply|post)/i,
    maxWords: 14,
    why: 'comment widgets carry no article text',
  },
  {
    kind: 'widget',
    // The comment form's small print and buttons: "Reply", "Cancel reply", "notify me of
    // follow-up comments", "your email will not be published", "required fields are marked",
    // "remember my name … next time I comment", spam-filter notices about comment data.
    pattern: /^(?:reply|cancel reply|post comment|submit comment|report(?: comment)?|flag)$|\b(?:notify|email|alert) me\b.{0,50}\b(?:comments?|repl(?:y|ies)|posts?|answers?)\b|\be-?mail(?: address)? will not be (?:published|shared|displayed)\b|\brequired fields are marked\b|\b(?:save|remember) my (?:name|details)\b.{0,80}\bcomment|\b(?:spam|moderat\w*)\b.{0,60}\bcomments?\b/i,
    maxWords: 40,
    why: 'comment forms: buttons and the notices under them',
  },
  {
    kind: 'navigation',
    // Infinite-scroll and pagination prompts between stacked articles.
    pattern: /^(?:scroll(?: down)? (?:for|to) (?:the )?next|next (?:article|story|post|page)|previous (?:article|story|post|page)|back to top|skip to (?:main )?content|go to top|continue reading|(?:continue|keep) scrolling|up next|read (?:the )?(?:full|whole) (?:article|story)|click here\b|load more|see more|show more)\b.{0,40}$|^(?:next|previous|prev|older|newer) (?:article|story|post|page|item)s?\b|^scroll (?:down|up)\b.{0,40}$|^(?:menu|home|search|close|open menu|toggle navigation)$/i,
    maxWords: 8,
    why: 'navigation controls between articles',
  },
  {
    kind: 'advertisement',
    pattern: /^(?:advertisement|advertising|sponsored(?: content)?|promoted(?: content)?|ad|ads by \w+|story continues below(?: this)? (?:advertisement|ad)|article continues below(?: this)? (?:advertisement|ad))[\s.:-]*$/i,
    maxWords: 8,
    why: 'ad slot labels',
  },
  {
    kind: 'share-bar',
    pattern: /^(?:share(?: this| on| via)?(?: article| story| post)?[:\s]*)?(?:(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|print|copy link|messenger|flipboard)\b[\s,|•·/]*){2,}$|^share(?: this)?(?: article| story| post| page)?[:!.]?$|^(?:facebook|twitter|x|tweet|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|messenger|flipboard|tumblr|vkontakte|odnoklassniki|weibo|wechat|line|viber|pocket|sms|bluesky|threads|mastodon|copy link|copy url)$|^(?:share|post|send|tweet)(?: (?:it|this))?(?: (?:article|story|post))? (?:on|via|to|with) (?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|messenger|bluesky|threads|mastodon)$|^(?:print|e-?mail|share|send)(?: (?:it|this))?(?: (?:with|to) (?:a )?friends?| (?:article|story|page|post))$/i,
    maxWords: 14,
    // Page dumps put each button of a share bar on its own line: a line that is
    // only a network's name is a button label, never article text.
    why: 'social share bars, on one line or one button per line',
  },
  {
    kind: 'cookie-notice',
    // Also the consent small print under forms: "by submitting this form you agree …",
    // "you may revoke this consent at any time".
    pattern: /\b(?:we use cookies|this (?:web)?site uses cookies|cookie (?:policy|settings|preferences)|accept (?:all )?cookies|manage (?:your )?consent|consent preferences|revoke (?:this|your) consent)\b|^by (?:submitting|sending|using|clicking|signing up|subscribing|registering|continuing)\b.{0,80}\b(?:you )?(?:agree|consent|accept)\b/i,
    maxWords: 120,
    // Each alternative but the last holds "cookie" (we use cookies, … uses cookies, cookie
    // policy/settings/preferences, accept (all) cookies) or "consent" (manage (your) consent,
    // consent preferences, revoke this/your consent); the last starts the line with "by ".
    // Case-insensitive as the pattern is, so the same letters match. Tried on every line of up to
    // 120 words, the pattern cost about three times this test; few lines hold these words.
    needs: /cookie|consent|^by /i,
    why: 'cookie and consent prompts',
  },
  {
    kind: 'subscribe-prompt',
    pattern: /^(?:sign up|subscribe|register|log ?in|sign in|already a subscriber|become a member|get (?:our|the) (?:free )?newsletter|newsletter)\b.{0,120}$|^(?:want|get|like) (?:more|the (?:best|latest))\b.{0,40}\?$|\bwe(?:'ll| will)? send (?:you )?(?:an? )?(?:e-?mail|newsletter)\b|(?:^|[.!?:]\s+)(?:sign up|subscribe|register)(?: (?:now|today|here|for free))?[.!]?$|\bsign up for (?:\w+ ){0,3}(?:newsletters?|briefings?|alerts?|updates|e-?mails?|digest)\b|\benter your e-?mail\b|\b(?:delivered|sent) (?:straight |directly )?(?:to|into) your inbox\b|\b(?:subscribe (?:now|today|to (?:our|the) newsletter)|sign up for (?:our|the) (?:free )?(?:newsletter|daily|weekly)|to continue reading|unlock (?:this|all) (?:article|stories)|subscribers? only)\b/i,
    maxWords: 30,
    why: 'newsletter, subscription and paywall prompts',
  },
  {
    kind: 'copyright',
    // "©" followed by a year anywhere in a short line: "The contents of this site are ©2019 …".
    pattern: /^(?:©|\(c\)|copyright\b)|\ball rights reserved\b|^(?:this (?:material|article) may not be (?:published|reproduced))|©\s*(?:19|20)\d\d\b/i,
    maxWords: 40,
    why: 'copyright footers; the outlet they name is kept as a source hint',
  },
  {
    kind: 'photo-credit',
    pattern: /^(?:photo|image|picture|video|file photo|credit|photograph)(?:\s*(?:credit|by|courtesy))?\s*[:|/]\s*.{1,80}$|^\(?(?:(?:file |staff )?(?:photo|image|picture|photograph|video)s?)\s*(?::|by\b|courtesy(?: of)?\b)\s*[^)]{1,60}\)?$|^(?:photo|image|picture|photograph)s?\s+(?:courtesy of|supplied by|provided by|by)\s+.{1,60}$|^(?:getty images|reuters|afp|ap photo|ap|epa|shutterstock)(?:\s*(?:\/|via)\s*[\w .]+)?$/i,
    maxWords: 14,
    why: 'photo credits and caption labels',
  },
  /**
   * A line that is only a time stamp: "2 hours ago", "Updated at 1:23 p.m.",
   * "Published November 19, 2019 at 9:45 am". Page chrome around teasers and
   * headers; the article's date comes from the header, metadata or dateline.
   */
  {
    kind: 'timestamp',
    pattern: new RegExp(
      String.raw`^(?:(?:published|updated|posted|last updated|modified)(?:\s+(?:on|at))?:?\s*)?(?:\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago|(?:${DAY})(?:\s*(?:at|,|-|–|\|)?\s*${CLOCK})?|${CLOCK})$`,
      'i',
    ),
    maxWords: 12,
    why: 'time stamps standing alone are page chrome',
  },
];

/**
 * Chrome families added in round three (issue #17), applied late: to the lines
 * the article's stretch kept (body and header zone), after the block model and
 * the jusText-style pass have decided. Applied early, a rule-removed line is a
 * known-bad block and one of the model's features, so a new rule would shift
 * what the model (fitted with the rules above) sees around it; applied late it
 * can only take out a line that is itself chrome. Short lines only, as above.
 */
export const LATE_LINE_RULES: LineRule[] = [
  {
    kind: 'timestamp',
    // A time stamp with its weekday or label, which the early rule does not read:
    // "Published: Saturday, February 26, 2022", "First published on Sat 5 Apr 2025 20.28 BST".
    pattern: new RegExp(
      String.raw`^(?:(?:first |last )?(?:published|updated|posted|modified)(?:\s+(?:on|at))?:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:${DAY})(?:\s*(?:at|,|-|–|\|)?\s*${CLOCK})?$`,
      'i',
    ),
    maxWords: 12,
    why: 'time stamps standing alone are page chrome',
  },
  {
    kind: 'widget',
    // Invitations to comment, in any wording: "Tell us in the comments", "Let us know what
    // you think below", "Share your thoughts", "Join the conversation".
    pattern: /\b(?:tell|let) us\b.{0,40}\b(?:comments?|below)\b|\b(?:share|leave|post|add|drop) your (?:thoughts|views|comments?|opinions?|reactions?)\b|\bjoin the (?:conversation|discussion|debate)\b|\bsound off\b.{0,30}\bcomments?\b/i,
    maxWords: 16,
    why: 'prompts inviting readers to comment',
  },
  {
    kind: 'subscribe-prompt',
    // A metered paywall's count and a newsletter's promise: "You have 3 free articles left
    // this month", "Get more in your inbox every morning".
    pattern: /\byou(?:['’]ve| have)\b.{0,24}\b(?:articles?|stories|reads|views|gift links?)\b.{0,30}\b(?:left|remaining)\b|\b(?:free )?(?:articles?|stories) (?:left|remaining) (?:this|per|for the) (?:month|week)\b|\b(?:to|in|into) your inbox\b/i,
    maxWords: 16,
    why: 'paywall meters and newsletter prompts',
  },
  {
    kind: 'navigation',
    // A teaser link set between paragraphs: a short label, a colon and another story's headline
    // ("See also: …", "Read more: …", "RELATED: …"). A sentence ending in a period is not one.
    pattern: /^(?:see also|read (?:more|also|next)|also read|related(?: (?:story|stories|article|coverage|content))?|more on this(?: story)?|watch|listen)\s*[:|»›]\s*\S[^.]{0,140}$/i,
    maxWords: 20,
    why: 'inline links to other stories',
  },
  {
    kind: 'photo-credit',
    // Credits in brackets, an illustration's credit, and a bare "Jane Doe/Acme Wire" between
    // paragraphs: "(Credit: Jane Doe/Acme)", "Photo illustration by Jane Doe".
    pattern: /^\((?:photo|image|picture|video|credit|photograph)(?:\s*(?:credit|by|courtesy))?\s*[:|/]\s*[^()]{1,80}\)$|^(?:(?:photo|image|picture|photograph)\s+)?illustration\s*(?::|by\b)\s*.{1,60}$/i,
    maxWords: 14,
    why: 'photo credits in brackets and illustration credits',
  },
  {
    kind: 'photo-credit',
    pattern: /^\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’.-]+){1,2}\s*\/\s*(?:the\s)?\p{Lu}[\p{L}\p{N}&.'’-]*(?:\s[\p{Lu}\p{N}][\p{L}\p{N}&.'’-]*){0,3}$/u,
    maxWords: 9,
    why: 'a photo credit standing alone: a name, a slash, the agency or outlet',
  },
  {
    kind: 'disclaimer',
    // Liability and advice notices: "… are not liable for any losses …", "X is not responsible
    // for its accuracy", "Nothing on this page is investment advice", "This is not financial advice".
    pattern: /\b(?:(?:is|are) not|(?:shall|will) not be) (?:held )?(?:liable|responsible) for (?:any |its |their )?(?:loss|losses|damages?|errors?|decisions?|accuracy|content)\b|\bnothing (?:on|in) this (?:page|article|site|website|story)\b.{0,40}\b(?:advice|recommendation|offer|solicitation)\b|\b(?:is|does) not (?:constitute )?(?:financial|investment|legal|medical|tax) advice\b/i,
    maxWords: 80,
    // The alternatives hold "liable for" or "responsible for", "nothing on/in this", "advice".
    needs: /liable for|responsible for|nothing (?:on|in) this|advice/i,
    why: 'liability and not-advice notices',
  },
];

/**
 * A line that opens a block of boilerplate: the heading and what follows it go,
 * up to the next real paragraph. `follow` says what may follow: `items` (short
 * list lines) or `paragraph` (exactly one paragraph, e.g. a disclaimer's text).
 */
export interface SectionRule {
  kind: string;
  heading: RegExp;
  follow: 'items' | 'paragraph';
  why: string;
}

export const SECTION_RULES: SectionRule[] = [
  {
    kind: 'disclaimer',
    heading: /^(?:(?:legal|editor'?s?|important|editorial|publisher'?s?)\s+)?(?:disclaimer|disclosure|notice)s?\s*[:.]?$|^(?:terms (?:of (?:use|service)|and conditions)|legal)\s*[:.]?$/i,
    follow: 'paragraph',
    why: 'legal disclaimers syndicators append to every article',
  },
  {
    kind: 'promo-list',
    heading: /^(?:most (?:popular|read|viewed|shared|commented)|trending(?: now| stories| news)?|popular(?: now| stories| articles| news| posts)?|related(?: stories| articles| news| posts| content| coverage| topics)?|read (?:more|also|next)|more (?:from|on|stories|news|in|like this|to read)\b.{0,30}|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|recommended(?: for you| stories| reading)?|top stories|latest (?:news|stories|headlines)|editor'?s? picks?|don'?t miss|what to read next|further reading|see also|also read|in case you missed it|around the web|from (?:our|the) partners|sponsored stories|(?:popular|latest|trending|more|also) (?:on|from|at) (?:the )?\p{Lu}[\p{L}\p{N}&.'-]*(?: \p{Lu}[\p{L}\p{N}&.'-]*){0,3})(?:\s+(?:stories|articles|news|posts|videos|reads|headlines|links|content|now|today|this week|right now))*[\s:.!]*$/iu,
    follow: 'items',
    why: 'promo and related-link lists, with their items',
  },
  {
    kind: 'tag-line',
    heading: /^(?:tags?|topics?|filed under|categories|keywords|related topics|more about)\s*[:.]?$/i,
    follow: 'items',
    why: 'tag clouds under or above the article',
  },
];

/** Paragraph rules: whole paragraphs that are boilerplate whatever their length. */
export const PARAGRAPH_RULES: LineRule[] = [
  {
    kind: 'disclaimer',
    pattern: /\b(?:provides? (?:the|this) (?:information|content) (?:["“]?as is["”]?|without warrant)|(?:do(?:es)? not|cannot) (?:accept|assume|take) (?:any )?(?:responsibility|liability)|without warranty of any kind|views (?:and opinions )?expressed (?:here|in this)|(?:is|are) not (?:responsible|liable) for the (?:content|accuracy)|for informational purposes only|does not constitute (?:investment|financial|legal) advice)\b|\b(?:accepts? no|assumes? no|bears? no|disclaims? (?:all|any)|makes? no (?:representations?|warrant(?:y|ies)|guarantees?)|(?:does|do|can) not (?:guarantee|warrant|vouch for))\b.{0,80}\b(?:accuracy|completeness|information|content|material|errors?|omissions?|links?|liability|responsibility)\b|\b(?:at (?:their|your) own risk)\b/i,
    maxWords: 120,
    // Each alternative holds one of these: provides the/this; (do/does/can)not accept/assume/take
    // ("cannot" ends in "not"); without warrant(y); expressed; informational purposes; not
    // responsible/liable; not constitute; accept(s)/assume(s)/bear(s)/make(s) no; disclaim;
    // not guarantee/warrant/vouch; own risk. Tried on every line of up to 120 words; most prose
    // holds none of them, and this test costs about a quarter less than the pattern.
    needs: /provides? th|not (?:accept|assume|take|responsible|liable|constitute|guarantee|warrant|vouch)|without warrant|expressed|informational purposes|accepts? no|assumes? no|bears? no|disclaim|makes? no|own risk/i,
    why: 'disclaimers carry no reporting; they name the syndicator, kept as a source hint',
  },
  {
    kind: 'disclaimer',
    pattern: /^(?:disclaimer|legal disclaimer|disclosure)\s*:/i,
    maxWords: 120,
    why: 'inline disclaimers',
  },
];

/**
 * The heading of a comment section ("12 Comments", "Leave a reply", "Join the
 * discussion"). Readers' comments follow the article and read like prose, so
 * the classifier cannot tell them from it; the heading marks where the article ended.
 * A bare count ("0 Comments") is not one: bylines carry it above the article.
 */
export const COMMENT_SECTION =
  /^(?:comments?|responses?|replies|reader comments)(?:\s*\(\d+\))?[\s:.!]*$|^(?:leave|post|add|write|submit) (?:a |your )?(?:comment|reply|response)\b|^join the (?:conversation|discussion)\b|^be the first to comment\b/i;

/**
 * A dateline marker naming the outlet or agency: "(ACME) …", "LONDON (Agency) — …",
 * "LONDON, March 3 (Agency) - …", and the same with the place set off by a dash
 * ("LONDON — (Agency) — …") or the marker by a dot or bar ("(Agency) · …"): one
 * shape, punctuated as each house style does it. A place written after the
 * marker ("(AGENCY) LONDON — …") is the article's own dateline and stays.
 */
export const DATELINE_MARKER =
  /^(?:(?<place>[A-Z][A-Z .,'-]{1,40}?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?)\s*(?:[–—]\s*)?)?\((?<outlet>[A-Z][A-Za-z0-9&.'’ -]{1,30})\)\s*(?:[-–—:·•|]\s*)?(?=\S)/;

/**
 * "ACME NEWS, Lisbon — …": an outlet in capitals, a place, a dash. The same shape
 * is "CITY, Country —", so the capitals are taken for an outlet only when they
 * read as one (OUTLET_WORD, or an acronym-like name of up to four letters, or
 * with a digit or "&") or another part of the page names the same outlet.
 */
export const OUTLET_DATELINE = /^(?<outlet>[A-Z][A-Z0-9&.' -]{1,30}[A-Z0-9.]),\s+(?<place>\p{Lu}[\p{L}.' -]{1,30}?)\s*[-–—]\s+(?=\S)/u;
export const OUTLET_WORD = /\b(?:NEWS|PRESS|TIMES|POST|WIRE|RADIO|TV|HERALD|TRIBUNE|GAZETTE|JOURNAL|AGENCY|DAILY|REPORT|OBSERVER|CHRONICLE|DISPATCH|EXPRESS|MEDIA|NETWORK|NEWSWIRE|LEDGER|COURIER|MAIL|STAR|SUN|TELEGRAPH|REVIEW|WEEKLY|MAGAZINE|INQUIRER|GUARDIAN|MONITOR|BULLETIN|BROADCASTING)\b|^[A-Z]{2,4}$|[0-9&]/;

/** "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Written by …". */
export const BYLINE_PREFIX = /^(?:(?:(?:written|reported|story|reporting|text|words|interview|additional reporting)\s+)?by|author|words)\s*[:\s]\s*/i;

/** A person's name: two to four capitalised words, allowing particles and initials. */
export const PERSON_NAME =
  /^(?:[A-Z][\p{L}'’-]+|[A-Z]\.)(?:\s+(?:(?:de|da|van|von|der|del|la|le|di|bin|al|el|ibn|mc)\s+)?(?:[A-Z][\p{L}'’-]+|[A-Z]\.)){1,3}$/u;
