/**
 * A static server in a process of its own, for the search benchmark: as a
 * real host would, it answers while the benchmark's own process is busy
 * driving the browser (on a loaded machine an in-process server waits for
 * that event loop, which the page's chunk fetches would pay for).
 *
 *   node --import tsx scripts/bench/serve-child.ts <dir>   prints the URL, serves until killed
 */
import { serveDir } from '../../test/helpers/serve.ts';

const served = await serveDir(process.argv[2]);
process.send?.(served.url);
process.on('disconnect', () => void served.close().then(() => process.exit(0)));
