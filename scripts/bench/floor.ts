/**
 * The floor: a bare Astro project of the same version, generated in a temp
 * folder, rendering the same cleaned Markdown with no pipeline of ours. One page
 * per story, showing its articles' bodies through Astro's own glob loader and
 * `render()`, the way a plain Astro site over these files would.
 *
 * It uses this repo's node_modules through a symlink, so the Astro version is
 * exactly ours.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../lib/corpus.ts';

const CONFIG = `import { defineConfig } from 'astro/config';
export default defineConfig({
  outDir: process.env.FLOOR_OUT || './dist',
  cacheDir: process.env.FLOOR_CACHE || './node_modules/.astro',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
});
`;

const CONTENT_CONFIG = `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
const dir = process.env.FLOOR_CONTENT;
export const collections = {
  articles: defineCollection({ loader: glob({ pattern: '*.md', base: dir + '/articles' }) }),
  stories: defineCollection({ loader: glob({ pattern: '*.json', base: dir + '/stories' }) }),
};
`;

const STORY_PAGE = `---
import { getCollection, getEntry, render } from 'astro:content';
export async function getStaticPaths() {
  const stories = await getCollection('stories');
  return stories.map((story) => ({ params: { id: story.id }, props: { story } }));
}
const { story } = Astro.props;
const bodies = [];
for (const id of story.data.articles) {
  const entry = await getEntry('articles', id);
  if (entry) bodies.push({ entry, Content: (await render(entry)).Content });
}
---
<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>{story.data.headline}</title></head>
  <body>
    <h1>{story.data.headline}</h1>
    {bodies.map(({ entry, Content }) => (
      <article><h2>{entry.data.title}</h2><Content /></article>
    ))}
  </body>
</html>
`;

/** Writes the floor project into `dir` (emptied first) and returns its path. */
export async function makeFloorProject(dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'src/pages/stories'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'newsfold-floor', private: true, type: 'module' }, null, 2));
  await writeFile(path.join(dir, 'astro.config.mjs'), CONFIG);
  await writeFile(path.join(dir, 'src/content.config.ts'), CONTENT_CONFIG);
  await writeFile(path.join(dir, 'src/pages/stories/[id].astro'), STORY_PAGE);
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: 'astro/tsconfigs/base' }));
  await symlink(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
