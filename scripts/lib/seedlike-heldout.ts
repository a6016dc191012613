/**
 * The seed-like generator's THIRD set of wordings, `heldout` (issue #17): written
 * in one sitting, before any title, outlet or block-model work of round two was
 * measured on it, and never used to develop a rule, choose a feature or train.
 * Its figures are the honest estimate of unseen chrome; if a change is ever made
 * after looking at a heldout failure, the set is spent and must be rewritten.
 *
 * Everything differs from `train` and `test`: outlets, names, cities, sections,
 * headline parts, every family's wording, and the bodies (BBC news bodies from
 * ../shared/corpus/volume-bbc, whose headlines are short and sentence-cased,
 * instead of clustering-basil's). It also carries families neither other set
 * shows (a browser-title line "Headline | Outlet", cookie banners, metered
 * paywall counters, social follow prompts, app prompts) and places some lines
 * where the others never do (a time stamp above the headline, a byline sharing
 * its line with a date).
 *
 * The wordings are what real news sites and CMSs print, written from memory of
 * such pages, not copied from a seed or corpus file.
 */
import type { Ctx, Vocab, Wording } from './seedlike.ts';

const one = (f: (c: Ctx) => string): Wording => (c) => [f(c)];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

export const HELDOUT_VOCAB: Vocab = {
  outlets: ['Riverside Sentinel', 'The Clarion', 'Highland Examiner', 'WKTR 9 News', 'Bayshore Times-Record', 'Cascade Public Radio', 'Lakeside Monitor', 'NOVA PRESS'],
  capsOutlets: ['NOVA PRESS', 'WKTR'],
  first: ['Nadia', 'Oscar', 'Leilani', 'Piotr', 'Esther', 'Tariq', 'Sofia', 'Malcolm', 'Ines', 'Kwame'],
  last: ['Lindgren', 'Achebe', 'Moreau', 'Takahashi', 'Quinlan', 'Vasquez', 'Rahman', 'Thornton', 'Kovacs', 'Adeyemi'],
  cities: ['CAIRO', 'BRISBANE', 'MONTREAL', 'OSLO', 'LIMA', 'PUNE'],
  sections: ['Business', 'Entertainment', 'Tech', 'Politics', 'Sport', 'Money', 'Arts', 'Food', 'Autos', 'Housing', 'Weather', 'Obituaries'],
  hlSubject: ['Fire Crews', 'Ferry Operator', 'County Sheriff', 'Startup Founder', 'Zoo Keepers', 'Rail Union', 'Mayor', 'Lottery Winner', 'Astronomers', 'Bakery Chain'],
  hlVerb: ['Warns Of', 'Celebrates', 'Faces', 'Plans', 'Cancels', 'Reveals', 'Sues Over', 'Welcomes', 'Tests', 'Ends'],
  hlObject: ['Strike Action', 'Record Crowds', 'Fresh Probe', 'Holiday Rush', 'Rare Comet', 'Budget Shortfall', 'New Arrivals', 'Late Fees', 'Driverless Buses', 'Price Freeze'],
  hlTail: ['', ' (Video)', ' — Photos', ' This Weekend', ', Officials Say', ' After Storm'],
};

export const HELDOUT_STATUS: Wording[] = [
  one(({ g, t }) => `GET ${g.pick(['200', '404', '301'])} ${t.y}${pad(t.m)}${pad(t.d)}${pad(g.int(0, 23))}${pad(g.int(0, 59))}${pad(g.int(0, 59))}`),
  one(({ g, t }) => `Snapshot taken ${t.y}-${pad(t.m)}-${pad(t.d)} · HTTP status ${g.pick(['200', '403', '404'])}`),
  one(({ g, t }) => `[status: ${g.pick(['200', '404', '410'])}] [fetched: ${t.y}/${pad(t.m)}/${pad(t.d)}]`),
  one(({ g, t }) => `${pad(t.d)}.${pad(t.m)}.${t.y} ${pad(g.int(0, 23))}:${pad(g.int(0, 59))} — response ${g.pick(['200', '500'])}`),
  one(({ g, t }) => `archived: ${t.y}-${pad(t.m)}-${pad(t.d)} http_code: ${g.pick(['200', '301', '404'])}`),
];

/** Stock error wordings of other CMSs and servers than the other sets use. */
export const HELDOUT_ERROR: Wording[] = [
  (c) => ['Not Found', c.g.pick(['The requested URL was not found on this server.', 'The requested resource could not be found on this server.'])],
  one(() => 'We couldn’t find the page you were looking for.'),
  one(() => 'This page isn’t available. Sorry about that.'),
  (c) => ['PAGE NOT FOUND', c.g.pick(['Out of nothing, something.', 'Try going back to the homepage.'])],
  one(() => 'Sorry, this story is no longer available.'),
  one(() => '404 Not Found'),
  one(() => 'The article you requested has been unpublished.'),
  (c) => ['Lost?', c.g.pick(['The page you’re trying to reach doesn’t exist.', 'This link appears to be broken.'])],
];

export const HELDOUT_TAGS: Wording[] = [
  one(({ g, v }) => `Filed under: ${g.pick(v.sections)}`),
  one(({ g, v }) => `Home / ${g.pick(v.sections)} / ${g.pick(v.sections)}`),
  one(({ g, v }) => `#${g.pick(v.sections)} #${g.pick(v.sections)}`),
  one(({ g, v }) => `Posted in ${g.pick(v.sections)}`),
  one(({ g, v }) => `${g.pick(v.sections).toUpperCase()} | ${g.pick(v.sections).toUpperCase()}`),
  one(({ g }) => g.pick(['Developing story', 'Opinion', 'Explainer', 'Exclusive interview'])),
];

export function heldoutByline(c: Ctx): { line: string; name: string } {
  const { g, outlet, t } = c;
  const a = c.person();
  let b = c.person();
  while (b === a) b = c.person();
  return g.pick([
    () => ({ line: `By: ${a}`, name: a }),
    () => ({ line: `BY ${a.toUpperCase()} AND ${b.toUpperCase()}`, name: `${a.toUpperCase()} AND ${b.toUpperCase()}` }),
    () => ({ line: `By ${a} | ${MONTHS[t.m - 1]} ${t.d}, ${t.y}`, name: a }),
    () => ({ line: `${a} - ${outlet}`, name: a }),
    () => ({ line: `Contributor: ${a}`, name: a }),
    () => ({ line: `Published by ${a}`, name: a }),
  ])();
}

export const HELDOUT_DEK: string[] = [
  'Residents were told to stay indoors while crews worked through the night to contain the damage',
  'The firm insists its figures are sound, but investors are not convinced',
  'Here is everything we know so far about the plan and who it affects',
  'Campaigners had waited a decade for the change and say it still falls short',
];

export function heldoutTimestamp(c: Ctx): string {
  const { g, t } = c;
  const mon = MONTHS[t.m - 1];
  return g.pick([
    () => `Updated: ${t.y}-${pad(t.m)}-${pad(t.d)} ${pad(g.int(0, 23))}:${pad(g.int(0, 59))}`,
    () => `${pad(t.m)}/${pad(t.d)}/${t.y} ${g.int(1, 12)}:${pad(g.int(0, 59))} ${g.pick(['AM', 'PM'])} ET`,
    () => `${mon} ${t.d}, ${t.y} | ${g.int(1, 12)}:${pad(g.int(0, 59))} ${g.pick(['a.m.', 'p.m.'])} EST`,
    () => `${t.d} ${mon.slice(0, 3)} ${t.y}, ${pad(g.int(0, 23))}:${pad(g.int(0, 59))}`,
    () => `Posted ${mon.slice(0, 3)}. ${t.d}, ${t.y}`,
  ])();
}

export function heldoutDateline(c: Ctx): string {
  const { g, outlet, v } = c;
  return g.pick([
    () => `${g.pick(v.cities)} (${outlet}) — `,
    () => `${g.pick(v.cities)} — (${outlet}) — `,
    () => `(${outlet.toUpperCase()}) ${g.pick(v.cities)} — `,
    () => `(${outlet}) · `,
  ])();
}

export const HELDOUT_SHARE: Wording[] = [
  () => ['Share this:'],
  () => ['Tweet this'],
  () => ['Pin it', 'Share', 'Email'],
  () => ['Share on LinkedIn'],
  () => ['Email | Print | Share'],
  () => ['Copy URL'],
];

export function heldoutPhoto(c: Ctx): string {
  const { g, outlet } = c;
  return g.pick([
    () => `Photo by ${c.person()} on Unsplash`,
    () => `${c.person()}/${outlet}`,
    () => `Image: ${outlet} archive`,
    () => `Credit: ${c.person()} for ${outlet}`,
    () => `(Photo: ${c.person()}, ${outlet})`,
  ])();
}

export function heldoutDisclaimer(c: Ctx): string[] {
  const { g, outlet } = c;
  const heading = g.pick(['Editor’s note:', 'Notice', '']);
  const para = g.pick([
    `${outlet} is not responsible for the content of external sites and does not verify claims made in sponsored material.`,
    `Views expressed by contributors are their own and are not endorsed by ${outlet}, which accepts no liability for them.`,
    `Nothing on this page is investment advice. ${outlet} and its affiliates are not liable for any losses incurred from acting on it.`,
  ]);
  return heading ? [heading, para] : [para];
}

export const HELDOUT_PROMO_HEADINGS: Array<(outlet: string) => string> = [
  () => 'Don’t miss',
  () => 'More to explore',
  () => 'Related articles',
  () => 'Most viewed',
  (o) => `Trending on ${o}`,
  () => 'Sponsored stories',
];

export const HELDOUT_COMMENTS: Wording[] = [
  () => ['Post a comment'],
  ({ g }) => [`Comments (${g.int(1, 90)})`],
  () => ['Log in to comment'],
  () => ['What do you think? Tell us in the comments.'],
  ({ g }) => [`${g.int(2, 60)} responses`],
];

export const HELDOUT_NAVIGATION: Wording[] = [
  () => ['Next'],
  () => ['Previous'],
  () => ['Jump to comments'],
  ({ g, v }) => [`More in ${g.pick(v.sections)}`],
  () => ['Back to News'],
];

export const HELDOUT_NEWSLETTER: Wording[] = [
  () => ['Sign up to our free newsletter'],
  () => ['Like this? Get more in your inbox every morning.'],
  () => ['Subscribe now'],
  () => ['Your email address', 'Sign up'],
];

export function heldoutCopyright(c: Ctx): string {
  const { g, outlet, t } = c;
  return g.pick([
    () => `Copyright ${t.y} ${outlet}, LLC`,
    () => `(C) ${t.y} ${outlet} Group`,
    () => `All material copyright ${outlet} ${t.y}`,
    () => `© ${t.y} ${outlet} | Privacy | Terms`,
  ])();
}

/** Families only the heldout set shows (see FAMILY_KINDS in seedlike.ts). */
export const HELDOUT_COOKIE: Wording[] = [
  () => ['We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies.', 'Accept'],
  () => ['This site uses cookies.', 'Manage preferences'],
];
export const HELDOUT_PAYWALL: Wording[] = [
  ({ g }) => [`You have ${g.int(1, 4)} free articles left this month.`],
  () => ['Subscribe to continue reading'],
  () => ['This article is for subscribers only. Already a subscriber? Log in.'],
];
export const HELDOUT_FOLLOW: Wording[] = [
  ({ outlet }) => [`Follow ${outlet} on Facebook and Instagram`],
  () => ['Follow us on X'],
];
export const HELDOUT_APP: Wording[] = [
  ({ outlet }) => [`Get the ${outlet} app`],
  () => ['Download our app for breaking news alerts'],
];
