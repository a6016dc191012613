/**
 * trigramLanguage must name the language franc-min's `franc` names, whatever the
 * text: it reimplements franc's steps with less work (issue #17, speed), so an
 * upgrade of franc-min that changed them fails here rather than changing pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { franc } from 'franc-min';
import { expressions } from 'franc-min/expressions.js';
import { describe, expect, it } from 'vitest';
import { trigramLanguage } from '../src/lib/ingest/clean/trigram-language';
import { repoRoot } from '../scripts/lib/corpus';

const TEXTS = [
  'The government said on Tuesday it would cut taxes for small firms next year.',
  'O governo disse na terça-feira que vai cortar impostos para pequenas empresas.',
  'El gobierno dijo el martes que recortará los impuestos a las pequeñas empresas.',
  'Le gouvernement a déclaré mardi qu’il réduirait les impôts des petites entreprises.',
  'Die Regierung sagte am Dienstag, sie werde die Steuern für kleine Firmen senken.',
  'Правительство заявило во вторник, что снизит налоги для малого бизнеса в следующем году.',
  'Уряд заявив у вівторок, що знизить податки для малого бізнесу наступного року.',
  'قالت الحكومة يوم الثلاثاء إنها ستخفض الضرائب على الشركات الصغيرة العام المقبل.',
  'सरकार ने मंगलवार को कहा कि वह अगले साल छोटे व्यवसायों के लिए कर कम करेगी।',
  '政府周二表示，明年将为小企业减税。这是一个很长的句子，用来测试语言检测。',
  '政府は火曜日、来年小規模企業の税金を引き下げると発表しました。ひらがなとカタカナ。',
  '정부는 화요일 내년에 소기업에 대한 세금을 인하할 것이라고 밝혔습니다.',
  'Η κυβέρνηση δήλωσε την Τρίτη ότι θα μειώσει τους φόρους για τις μικρές επιχειρήσεις.',
  'รัฐบาลกล่าวเมื่อวันอังคารว่าจะลดภาษีสำหรับธุรกิจขนาดเล็กในปีหน้า',
  'הממשלה אמרה ביום שלישי כי תפחית מסים לעסקים קטנים בשנה הבאה.',
  'Mixed: The government 政府 said Правительство on Tuesday 🎉🎉 with emoji 𝐀𝐁𝐂 and astral 𠀀𠀁 text.',
  'lone \ud800 surrogate\udc00x and more text to make it long enough',
  '1234567890 !!! ??? ... 2025-07-20 10:30 $$$ %%%',
  '                                      ',
  'aaaa aaaa aaaa aaaa aaaa aaaa aaaa aaaa',
  'İstanbul’da hükümet salı günü küçük işletmeler için vergileri düşüreceğini söyledi.',
  'Chính phủ cho biết hôm thứ Ba sẽ giảm thuế cho các doanh nghiệp nhỏ vào năm tới.',
  'Serikali ilisema Jumanne kwamba itapunguza kodi kwa biashara ndogo mwaka ujao.',
  'short',
  '',
];

/** Lines and page samples of the fixtures and samples in the repository, as the cleaner and metadata stage hand them. */
function repoTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, name.name);
      if (name.isDirectory()) walk(file);
      else if (/\.(?:md|txt|html|json)$/.test(name.name)) {
        const text = readFileSync(file, 'utf8');
        out.push(text.slice(0, 600), text.slice(0, 2500));
        for (const line of text.split('\n')) if (line.trim().length >= 10) out.push(line.slice(0, 600));
      }
    }
  };
  for (const dir of ['test/fixtures', 'samples']) {
    try {
      walk(path.join(repoRoot, dir));
    } catch {
      // A checkout without that folder: the constructed texts still cover every script.
    }
  }
  return out;
}

/** The top-level alternatives of a regular expression's source. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      current += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '|' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

describe('trigramLanguage', () => {
  it('relies on a shape franc-min’s script expressions have: one code unit per match outside surrogates', () => {
    const surrogate = /\\uD[89A-F][0-9A-F]{2}/i;
    for (const [name, re] of Object.entries(expressions)) {
      expect(re.flags, name).toBe('g');
      for (const alt of alternatives(re.source)) {
        // A class of code units (no surrogate end point: a lone surrogate sends the text to the expressions anyway),
        // a single escaped code unit, or a sequence that starts with a high surrogate.
        const single = (/^\[[^[\]]*\]$/.test(alt) || /^\\u[0-9A-F]{4}$/i.test(alt)) && !surrogate.test(alt);
        const highFirst = /^(?:\\uD[89AB][0-9A-F]{2}|\[\\uD[89AB])/i.test(alt);
        expect(single || highFirst, `${name}: ${alt.slice(0, 40)}`).toBe(true);
      }
    }
    expect(Object.keys(expressions).length).toBeLessThan(30);
  });

  it('names what franc names, for texts in many scripts and edge cases', () => {
    for (const text of TEXTS) {
      for (const minLength of [10, 20]) {
        expect(trigramLanguage(text, minLength), JSON.stringify(text)).toBe(franc(text, { minLength }));
        for (const cut of [15, 40, 120]) expect(trigramLanguage(text.slice(0, cut), minLength)).toBe(franc(text.slice(0, cut), { minLength }));
      }
    }
  });

  it('names what franc names on the repository’s fixtures and samples, line by line', () => {
    const texts = repoTexts();
    expect(texts.length).toBeGreaterThan(100);
    let differ = 0;
    for (const text of texts) if (trigramLanguage(text, 20) !== franc(text, { minLength: 20 })) differ++;
    expect(differ).toBe(0);
  });
});
