/**
 * Golden tests: each folder under test/fixtures/cases/ is one case, with raw
 * files in `input/` and the exact files the ingest must write in `expected/`
 * (`articles/<id>.md`, `stories/<id>.json`). Re-record after an intended
 * change with `UPDATE=1 npx vitest run test/golden.test.ts`, then review the diff.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../src/lib/ingest/pipeline';
import { renderArticle, renderStory } from '../src/lib/ingest/write/render';

const casesDir = path.join(import.meta.dirname, 'fixtures/cases');
const update = process.env.UPDATE === '1';

function readTree(dir: string, rel = ''): Array<{ raw: string; bytes: Uint8Array }> {
  return readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const r = rel ? `${rel}/${e.name}` : e.name;
      return e.isDirectory() ? readTree(dir, r) : [{ raw: r, bytes: new Uint8Array(readFileSync(path.join(dir, r))) }];
    });
}

describe('golden cases', () => {
  for (const name of readdirSync(casesDir).sort()) {
    it(name, () => {
      const caseDir = path.join(casesDir, name);
      const result = ingest(readTree(path.join(caseDir, 'input')));
      const actual = new Map<string, string>([
        ...result.articles.map((a) => [`articles/${a.id}.md`, renderArticle(a)] as const),
        ...result.stories.map((s) => [`stories/${s.id}.json`, renderStory(s)] as const),
      ]);
      const expectedDir = path.join(caseDir, 'expected');
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const [rel, content] of actual) {
          mkdirSync(path.dirname(path.join(expectedDir, rel)), { recursive: true });
          writeFileSync(path.join(expectedDir, rel), content);
        }
      }
      expect(existsSync(expectedDir), `${name}: no expected/ folder; record it with UPDATE=1`).toBe(true);
      const expectedFiles = readTree(expectedDir).map((f) => f.raw);
      expect([...actual.keys()].sort()).toEqual(expectedFiles.sort());
      for (const rel of expectedFiles) {
        expect(actual.get(rel), `${name}/${rel}`).toBe(readFileSync(path.join(expectedDir, rel), 'utf8'));
      }
    });
  }
});
