/**
 * Astro's ambient types (import.meta.env, astro:content and the other virtual modules) for
 * `tsc --noEmit` on a fresh clone, before `astro sync` has written .astro/types.d.ts.
 */
/// <reference types="astro/client" />
