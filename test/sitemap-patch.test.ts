/**
 * A drop-in's sitemap patched from the last build's files (sitemap.ts patchSitemap) is byte for byte
 * sitemapFiles of the new page list; files it cannot read as sitemapFiles' own are not patched.
 */
import { describe, expect, it } from 'vitest';
import { patchSitemap, sitemapFiles } from '../src/lib/site/sitemap';

/** A deterministic generator (no Math.random: the same cases every run). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const oldFiles = (files: Map<string, string>) => [...files].filter(([n]) => n !== 'sitemap-index.xml').map(([, t]) => t);

describe('patchSitemap', () => {
  const sites: Array<[string, string]> = [
    ['https://example.net', '/'],
    ['https://example.net', '/news/'],
    ['http://localhost:4321', '/a&b/'],
  ];
  it('gives the files sitemapFiles gives the edited list, across file boundaries, added and removed', () => {
    for (const [site, base] of sites) {
      for (let seed = 1; seed <= 40; seed++) {
        const r = rng(seed);
        const perFile = 1 + Math.floor(r() * 6);
        const all = Array.from({ length: 40 }, (_, i) => ['articles/', 'days/', 'stories/', 'outlets/'][i % 4] + `x${Math.floor(r() * 1000)}-${i}/`);
        all.push('');
        const before = all.filter(() => r() < 0.5);
        const after = new Set(before);
        const edits = new Map<string, boolean>();
        for (let k = Math.floor(r() * 8); k > 0; k--) {
          const p = all[Math.floor(r() * all.length)];
          const listed = r() < 0.5;
          edits.set(p, listed);
          if (listed) after.add(p);
          else after.delete(p);
        }
        const old = sitemapFiles(before, site, base, perFile);
        const patched = patchSitemap(oldFiles(old), edits, site, base, perFile);
        // No URL at all: not patched (nothing to tell the root from).
        if (!before.length) {
          expect(patched).toBeNull();
          continue;
        }
        expect(patched && [...patched], `seed ${seed} ${base}`).toEqual([...sitemapFiles([...after], site, base, perFile)]);
      }
    }
  });

  it('is not made from files it cannot read as sitemapFiles wrote them, nor for a path that is not plain', () => {
    const files = sitemapFiles(['a/', 'b/', 'c/'], 'https://example.net', '/', 2);
    const old = oldFiles(files);
    expect(patchSitemap(old, new Map([['b2/', true]]), 'https://example.net', '/', 2)).not.toBeNull();
    // Another site's files, a path not plain, a file altered, the files cut otherwise (a file missing is
    // the manifest's to tell: site-build.ts reads the files it names, each checked by its hash).
    expect(patchSitemap(old, new Map([['b2/', true]]), 'https://example.org', '/', 2)).toBeNull();
    expect(patchSitemap(old, new Map([['b 2/', true]]), 'https://example.net', '/', 2)).toBeNull();
    // A path not plain and not listed (a feed, rss.xml) is not in the files: nothing to change.
    expect(patchSitemap(old, new Map([['rss.xml', false], ['b/', false]]), 'https://example.net', '/', 2)).toEqual(sitemapFiles(['a/', 'c/'], 'https://example.net', '/', 2));
    expect(patchSitemap([old[0].replace('b/', 'b%20/'), old[1]], new Map(), 'https://example.net', '/', 2)).toBeNull();
    expect(patchSitemap(old, new Map(), 'https://example.net', '/', 3)).toBeNull();
    // Files with a path not plain (written through siteUrl): not patched.
    expect(patchSitemap(oldFiles(sitemapFiles(['a b/', 'c/'], 'https://example.net', '/')), new Map([['d/', true]]), 'https://example.net', '/')).toBeNull();
  });
});
