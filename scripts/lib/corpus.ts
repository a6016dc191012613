/**
 * Where the development corpus lives: `../shared/corpus` beside the checkout,
 * or NEWSFOLD_CORPUS. Data-driven checks skip loudly when it is absent, so the
 * project still builds and tests on a machine without it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function corpusDir(): string | null {
  const dir = process.env.NEWSFOLD_CORPUS ?? path.resolve(repoRoot, '../shared/corpus');
  return existsSync(dir) ? dir : null;
}

export function seedsDir(): string | null {
  const dir = process.env.NEWSFOLD_SEEDS ?? path.resolve(repoRoot, '../shared/seeds');
  return existsSync(dir) ? dir : null;
}

/** Prints a loud notice that a data-driven check is skipped, and why. */
export function announceSkip(what: string): void {
  const line = `SKIPPED: ${what}: ../shared/corpus not found (set NEWSFOLD_CORPUS to run it)`;
  console.warn(`\n${'!'.repeat(line.length)}\n${line}\n${'!'.repeat(line.length)}\n`);
}
