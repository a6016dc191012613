import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // What the build edge sets up before running the pure stages (the digest's lexicon).
    setupFiles: ['test/helpers/setup.ts'],
    // End-to-end tests build the site and drive Chromium: give them room.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores here: builds in parallel workers only fight over them.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
