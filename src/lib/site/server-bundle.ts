/**
 * A Vite plugin for `astro build`: the server bundle is not tree-shaken.
 *
 * Why: in a static build the server bundle is only imported to render the
 * pages, then deleted (Astro's cleanup of a static build); nothing of it is
 * served. Tree-shaking it only spends time. Rollup's tree-shaking was the
 * largest part of every astro child's work: about 1 s of CPU per build,
 * whatever the size of the site, on the 2-core machine (docs/performance.md,
 * "round thirteen: the astro child"). That includes a drop-in's child, which
 * runs beside the ingest on the other core. Without it Rollup keeps every
 * statement of the modules the pages import. Code that tree-shaking would
 * drop has no effects, so the pages render the same bytes.
 *
 * The client bundle, which readers download, is tree-shaken as before.
 */
import type { ViteUserConfig } from 'astro';

/** A Vite plugin as Astro's config takes it (Astro's own Vite, not the one vitest brings). */
type AstroVitePlugin = NonNullable<ViteUserConfig['plugins']>[number];

export function untreeshakenServerBundle(): AstroVitePlugin {
  return {
    name: 'newsfold-untreeshaken-server-bundle',
    apply: 'build',
    config(_config, env) {
      if (env.isSsrBuild) return { build: { rollupOptions: { treeshake: false } } };
    },
  };
}
