/**
 * A drop folder shaped like an archive, for the site's listing tests: many
 * distinct stories over many days (several a day, some days busy), each told
 * by one to three outlets, a few undated. Seeded and small: the grouping must
 * keep the stories apart, so each story's sentences name its own people and
 * places (made of syllables), as real stories do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mulberry32 as rng } from '../../scripts/bench/corpus';

const SYL = 'ka ri mo ten vel sor an dra li ne bo rus ta mi gor el vin da sha ro be lun ha zek ol ma cor fi nu ge'.split(' ');
const OUTLETS = ['The Harbour Times', 'Valley Courier', 'North Ledger', 'City Wire', 'The Evening Post'];
const VERBS = ['announced', 'confirmed', 'rejected', 'proposed', 'delayed', 'approved', 'questioned', 'defended'];
const COMMON = 'the of and to in a for on with at by from about after before over under new old first last'.split(' ');

export interface ArchiveOptions {
  stories: number;
  /** Days the stories spread over, ending at `lastDay`. */
  days: number;
  lastDay: string;
  seed?: number;
  /** Every n-th story has no date anywhere (0: none). */
  undatedEvery?: number;
}

/** Writes the drop folder; returns how many files it wrote. */
export async function makeArchive(dir: string, o: ArchiveOptions): Promise<number> {
  const rand = rng(o.seed ?? 1);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const word = (n: number) => Array.from({ length: n }, () => pick(SYL)).join('');
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  await mkdir(dir, { recursive: true });
  const last = Date.parse(`${o.lastDay}T00:00:00Z`);
  let files = 0;
  for (let i = 0; i < o.stories; i++) {
    // The story's own vocabulary: most words of its sentences are its own, so stories stay apart.
    const lexicon = Array.from({ length: 40 }, () => word(2 + Math.floor(rand() * 2)));
    const person = `${cap(word(2))} ${cap(word(3))}`;
    const place = `${cap(word(3))}${pick(['ton', 'ville', 'port', 'field'])}`;
    const sentence = () => {
      const words = Array.from({ length: 12 + Math.floor(rand() * 8) }, () => (rand() < 0.65 ? pick(lexicon) : pick(COMMON)));
      return `${cap(words.join(' '))}, ${pick(['said', 'according to', 'wrote'])} ${rand() < 0.5 ? person : `officials in ${place}`}.`;
    };
    const sentences = Array.from({ length: 8 }, sentence);
    const thing = `${pick(lexicon)} ${pick(lexicon)}`;
    const verb = pick(VERBS);
    // A third of the stories on the last day (a busy day), the rest spread back.
    const dayOffset = i % 3 === 0 ? 0 : Math.floor(rand() * o.days);
    const day = new Date(last - dayOffset * 86_400_000).toISOString().slice(0, 10);
    const undated = !!o.undatedEvery && i % o.undatedEvery === o.undatedEvery - 1;
    const tellings = 1 + (i % 3);
    for (let t = 0; t < tellings; t++) {
      const outlet = OUTLETS[(i + t) % OUTLETS.length];
      // Each outlet tells it in its own order, leaves some sentences out and adds its own.
      const told = sentences.filter((_, k) => (k + t) % 3 !== 2).sort(() => rand() - 0.5);
      const body = [told.slice(0, 3).join(' '), sentence() + ' ' + told.slice(3).join(' '), sentence()].join('\n\n');
      const title = t === 0 ? `${person} ${verb} ${thing} in ${place}` : `${place}: ${cap(thing)} ${verb}, ${person} says`;
      const front = [`title: "${title}"`, `source: ${outlet}`, ...(undated ? [] : [`date: ${day}`])].join('\n');
      await writeFile(path.join(dir, `${String(i).padStart(4, '0')}-${t}.md`), `---\n${front}\n---\n\n${body}\n`);
      files++;
    }
  }
  return files;
}
