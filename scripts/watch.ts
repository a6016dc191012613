/**
 * npm run watch -- [flags]   (`--help` lists them)
 *
 * Builds once, then watches the drop folder and rebuilds after each burst of
 * changes, printing what changed (articles added/updated/removed, stories
 * created/updated/removed, files rejected).
 *
 * Node's own fs.watch({ recursive: true }) (Linux since Node 20) rather than
 * chokidar: an event here is only a trigger. Each rebuild re-lists the whole
 * drop folder and the per-file hash cache finds what changed, so a coalesced,
 * renamed or missed event detail cannot make a rebuild wrong; what chokidar adds
 * (event normalisation, polling fallbacks) is not needed, and it would be a new
 * direct dependency. A periodic rescan (--poll, default 60 s) covers network
 * file systems where inotify sees nothing.
 *
 * The config file and the overrides file are watched too (their folders, as
 * editors save by writing a new file and renaming it): an edit rebuilds, and
 * an invalid file is reported and the previous site keeps serving until the
 * next save fixes it.
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { ConfigError, describeChanges, LockedError, parseFlags, runBuild, WATCH_COMMAND } from '../src/lib/build/index.ts';

const parsed = parseFlags(WATCH_COMMAND, process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.message);
  process.exit(2);
}
const { values } = parsed;
const debounceMs = Math.max(50, values.debounce ?? 500);
const pollMs = Math.max(0, values.poll ?? 0) * 1000;
const raw = path.resolve(values.raw!);
const stamp = () => new Date().toTimeString().slice(0, 8);

let running = false;
let pending = false;
let timer: NodeJS.Timeout | null = null;

async function rebuild(why: string): Promise<void> {
  if (running) {
    pending = true;
    return;
  }
  running = true;
  try {
    const result = await runBuild({ raw, content: values.content, dist: values.dist, cache: values.cache, config: values.config, overrides: values.overrides });
    const { ms } = result;
    const changes = describeChanges(result);
    const quiet = changes.length === 1 && changes[0] === 'no changes' && why === 'poll';
    if (!quiet) {
      const built = result.built ? `dist rebuilt (${result.mode === 'partial' ? `${result.pagesRendered} page(s) re-rendered` : 'every page'})` : result.reason;
      // One write for the summary and its change lines, so whoever reads the
      // pipe sees them together, never the summary before what it summarises.
      const head = `[${stamp()}] ${why}: ${built} in ${ms.total} ms (ingest ${ms.ingest} ms, astro ${ms.astro} ms)`;
      console.log([head, ...changes.map((line) => `  ${line}`)].join('\n'));
    }
  } catch (err) {
    const message = err instanceof LockedError || err instanceof ConfigError ? err.message : `build failed: ${(err as Error).message}`;
    console.error(`[${stamp()}] ${message}; the previous site is still served`);
    if (err instanceof LockedError) pending = true;
  } finally {
    running = false;
    if (pending) {
      pending = false;
      schedule('changes during the last build', 1000);
    }
  }
}

function schedule(why: string, delay = debounceMs): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    void rebuild(why);
  }, delay);
}

const watcher = watch(raw, { recursive: true }, (_event, name) => {
  // Dotfiles (editor swap files) are ignored by the ingest too.
  if (name && String(name).split(/[\\/]/).some((part) => part.startsWith('.'))) return;
  schedule('change in drop folder');
});
watcher.on('error', (err) => console.error(`[${stamp()}] watcher error: ${err.message}; still rescanning every ${pollMs / 1000} s`));

/** Rebuilds when `file` is written, created or replaced; a folder that does not exist yet is simply not watched. */
function watchFile(file: string, why: string): void {
  try {
    watch(path.dirname(file), (_event, name) => {
      if (name && String(name) === path.basename(file)) schedule(why);
    }).on('error', () => {});
  } catch {
    // The poll still rebuilds.
  }
}
watchFile(path.resolve(values.config ?? 'newsfold.config.yaml'), 'config changed');
watchFile(path.resolve(values.overrides ?? path.join(values.content!, 'overrides.yaml')), 'overrides changed');
if (pollMs) setInterval(() => void rebuild('poll'), pollMs).unref();
console.log(`watching ${raw} (debounce ${debounceMs} ms); Ctrl-C to stop`);
void rebuild('start');
