/**
 * A small newsroom's drop folder for the config and overrides tests: four
 * events, each told by two or three outlets in Markdown with front matter,
 * written so grouping puts each event in one story. One article (`bridge-gazette`)
 * carries a sentence no other article has, so a test can look for it in every
 * file of dist/ once an editor hides it. Outlets are credited in the ways
 * scrapes credit them: a short spelling ("AP"), a full one, none at all but a
 * URL.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface NewsroomArticle {
  file: string;
  title: string;
  source?: string;
  url?: string;
  date: string;
  body: string[];
}

/** The sentence only `bridge-gazette` carries. */
export const SECRET_SENTENCE = 'A night watchman named Ferdinand Quillby said the eastern pylon had hummed like a cello for three weeks before it cracked.';

export const NEWSROOM: NewsroomArticle[] = [
  {
    file: 'bridge-ap.md',
    title: 'Harborton bridge closes after crack found in eastern pylon',
    source: 'AP',
    url: 'https://apnews.com/article/harborton-bridge-crack',
    date: '2025-03-03T09:00:00Z',
    body: [
      'Engineers closed the Harborton suspension bridge on Monday after inspectors found a crack in its eastern pylon, the city transport office said.',
      'The Harborton bridge carries about forty thousand vehicles a day across the Tamber river, and ferries will run extra crossings while it is shut.',
      '"We will not reopen the bridge until every cable and pylon has been checked," transport director Mira Castellan said.',
    ],
  },
  {
    file: 'bridge-ledger.md',
    title: 'Crack in pylon shuts Harborton suspension bridge',
    source: 'Daily Ledger',
    date: '2025-03-03',
    body: [
      'The Harborton suspension bridge over the Tamber river was closed on Monday when inspectors found a crack in the eastern pylon.',
      'Transport director Mira Castellan said ferries would add crossings and that engineers would check every cable and pylon of the bridge.',
      'Commuters faced long queues at the Tamber ferry terminal on Monday evening as the Harborton bridge stayed shut.',
    ],
  },
  {
    file: 'bridge-gazette.md',
    title: 'Harborton bridge shut as engineers inspect cracked pylon',
    source: 'Harbor Gazette',
    date: '2025-03-03',
    body: [
      'Inspectors found a crack in the eastern pylon of the Harborton suspension bridge, and the city closed the bridge over the Tamber river on Monday.',
      SECRET_SENTENCE,
      'Transport director Mira Castellan said ferries across the Tamber would run extra crossings until the bridge reopens.',
    ],
  },
  {
    file: 'budget-post.md',
    title: 'Harborton council approves school budget after long debate',
    url: 'https://www.harborpost.com/news/council-school-budget',
    date: '2025-03-04',
    body: [
      'The Harborton city council approved a school budget of twelve million dollars on Tuesday after a debate that lasted until midnight.',
      'Councillor Tobias Wren said the school budget would pay for new roofs at four primary schools and for two hundred laptops.',
      'The school budget passed by seven votes to four, with council members from the harbour wards voting against it.',
    ],
  },
  {
    file: 'budget-ledger.md',
    title: 'Council passes Harborton school budget by seven votes to four',
    source: 'Daily Ledger',
    date: '2025-03-04',
    body: [
      'Harborton council members voted seven to four on Tuesday to approve a twelve million dollar school budget.',
      'Councillor Tobias Wren said the money would pay for new school roofs and for laptops at four primary schools.',
      'The debate on the school budget lasted until midnight, as harbour ward members argued the money should go to the ferry service.',
    ],
  },
  {
    file: 'festival-ledger.md',
    title: 'Lantern festival draws record crowd to Harborton old town',
    source: 'Daily Ledger',
    date: '2025-03-08',
    body: [
      'A record crowd of sixty thousand people filled the Harborton old town on Saturday night for the annual lantern festival.',
      'Organiser Ines Barrowby said volunteers had hung nine thousand paper lanterns along the old town canals for the festival.',
      'The lantern festival ended with a parade of illuminated boats on the canals shortly before midnight.',
    ],
  },
  {
    file: 'festival-ap.md',
    title: 'Sixty thousand attend Harborton lantern festival',
    source: 'The Associated Press',
    date: '2025-03-08',
    body: [
      'Sixty thousand people came to the lantern festival in the Harborton old town on Saturday, a record for the annual event, organisers said.',
      'Organiser Ines Barrowby said nine thousand paper lanterns hung along the canals of the old town, put up by volunteers.',
      'Illuminated boats paraded along the old town canals at the end of the lantern festival.',
    ],
  },
  {
    file: 'library-post.md',
    title: 'Harborton central library reopens after two-year renovation',
    url: 'https://harborpost.com/culture/library-reopens',
    date: '2025-03-06',
    body: [
      'The Harborton central library reopened on Thursday after a two-year renovation that added a rooftop reading garden and a children’s wing.',
      'Head librarian Odile Fenwick said more than two thousand readers had signed up for new library cards on the first morning.',
      'The renovated library now stays open until ten in the evening on weekdays, Fenwick said.',
    ],
  },
  {
    file: 'library-ledger.md',
    title: 'Rooftop reading garden opens as Harborton library returns',
    source: 'Daily Ledger',
    date: '2025-03-06',
    body: [
      'Readers queued outside the Harborton central library on Thursday as it reopened after a renovation lasting two years.',
      'Head librarian Odile Fenwick said two thousand new library cards were issued on the first morning, and showed visitors the rooftop reading garden.',
      'The children’s wing of the renovated library has space for three hundred pupils, Fenwick said.',
    ],
  },
];

/** Writes the newsroom's articles as Markdown files with front matter into `dir`. */
export async function writeNewsroom(dir: string, articles: NewsroomArticle[] = NEWSROOM): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const a of articles) {
    const front = [`title: ${JSON.stringify(a.title)}`, `date: ${JSON.stringify(a.date)}`];
    if (a.source) front.push(`source: ${JSON.stringify(a.source)}`);
    if (a.url) front.push(`url: ${JSON.stringify(a.url)}`);
    await writeFile(path.join(dir, a.file), `---\n${front.join('\n')}\n---\n\n${a.body.join('\n\n')}\n`);
  }
}
