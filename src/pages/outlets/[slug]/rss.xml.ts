/** /outlets/<slug>/rss.xml: an outlet's latest articles (`feedSize`), linking to their pages. */
import type { APIContext } from 'astro';
import { pagesOf } from '../../../lib/site/data';
import { feedResponse } from '../../../lib/site/feed';

export async function getStaticPaths() {
  return (await pagesOf('feed')).filter((f) => f.path !== 'rss.xml').map((spec) => ({ params: { slug: spec.path.split('/')[1] }, props: { spec } }));
}

export async function GET(context: APIContext) {
  return feedResponse((context.props as { spec: Parameters<typeof feedResponse>[0] }).spec, context.site);
}
