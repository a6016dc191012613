/**
 * The one flag parser of the command-line tools (src/lib/build/flags.ts):
 * defaults, environment variables, flags over both, usage errors, and a
 * `--help` that gives every flag a sentence; then the three CLIs as users
 * run them.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUILD_COMMAND, helpText, INGEST_COMMAND, parseFlags, WATCH_COMMAND, type Command } from '../src/lib/build/flags';
import { repoRoot } from '../scripts/lib/corpus';

const run = promisify(execFile);
const COMMANDS: Record<string, Command> = { build: BUILD_COMMAND, ingest: INGEST_COMMAND, watch: WATCH_COMMAND };

describe('flags', () => {
  it('takes a flag over its environment variable over its default', () => {
    const none = parseFlags(BUILD_COMMAND, [], {});
    expect(none).toEqual({
      kind: 'run',
      values: {
        raw: 'content/raw',
        content: 'content',
        dist: 'dist',
        cache: undefined,
        config: undefined,
        overrides: undefined,
        report: undefined,
        force: false,
        quiet: false,
        verbose: false,
        'no-ingest': false,
        shard: undefined,
        merge: false,
      },
      positionals: [],
    });
    const env = { NEWSFOLD_RAW: '/drop', NEWSFOLD_OUT: '/site' };
    const fromEnv = parseFlags(BUILD_COMMAND, ['--force'], env);
    expect(fromEnv.kind === 'run' && [fromEnv.values.raw, fromEnv.values.dist, fromEnv.values.force]).toEqual(['/drop', '/site', true]);
    const given = parseFlags(BUILD_COMMAND, ['--raw', 'mine', '--dist=out'], env);
    expect(given.kind === 'run' && [given.values.raw, given.values.dist]).toEqual(['mine', 'out']);
  });

  it('reads numbers, and calls a bad number, an unknown flag or a missing value a usage error', () => {
    const ok = parseFlags(WATCH_COMMAND, ['--debounce', '250'], {});
    expect(ok.kind === 'run' && [ok.values.debounce, ok.values.poll]).toEqual([250, 60]);
    for (const argv of [['--debounce', 'soon'], ['--colour'], ['--raw'], ['stray']]) {
      const bad = parseFlags(WATCH_COMMAND, argv, {});
      expect(bad.kind, argv.join(' ')).toBe('error');
      expect(bad.kind === 'error' && bad.message).toMatch(/usage: npm run watch --/);
    }
  });

  it('takes arguments after the flags only from a command that declares them', () => {
    const merge: Command = { usage: 'npm run merge --', summary: 'Merges parts.', flags: { dist: { type: 'string', help: 'Where.' } }, positionals: { arg: 'part', help: 'A part folder.' } };
    const parsed = parseFlags(merge, ['--dist', 'out', 'part-1', 'part-2'], {});
    expect(parsed.kind === 'run' && [parsed.values.dist, parsed.positionals]).toEqual(['out', ['part-1', 'part-2']]);
    expect(helpText(merge)).toMatch(/^usage: npm run merge -- \[flags\] \[part\.\.\.\]/);
    expect(helpText(merge)).toMatch(/part\.\.\. +A part folder\./);
    expect(parseFlags(INGEST_COMMAND, ['part-1'], {}).kind).toBe('error');
    // build declares its part folders (for --merge); scripts/build.ts refuses them without --merge.
    expect(parseFlags(BUILD_COMMAND, ['part-1'], {}).kind).toBe('run');
  });

  it('explains every flag of every command in one sentence, with its default and variable', () => {
    for (const [name, command] of Object.entries(COMMANDS)) {
      const help = parseFlags(command, ['--help'], {});
      expect(help.kind).toBe('help');
      const text = help.kind === 'help' ? help.text : '';
      expect(text).toBe(helpText(command));
      expect(text.split('\n')[0]).toBe(`usage: npm run ${name} -- [flags]${command.positionals ? ` [${command.positionals.arg}...]` : ''}`);
      for (const [flag, spec] of [...Object.entries(command.flags), ['help', { help: 'Prints this help and exits.' }] as const]) {
        const line = text.split('\n').find((l) => l.includes(`--${flag}`));
        expect(line, flag).toBeDefined();
        // One sentence: a capital, one full stop at its end.
        expect(spec.help, flag).toMatch(/^[A-Z][^.]*(?:\.[^ .][^.]*)*\.$/);
        expect(line).toContain(spec.help.slice(0, -1));
        if ('env' in spec && spec.env) expect(line).toContain(`$${spec.env}`);
        if ('default' in spec && spec.default !== undefined && spec.default !== false) expect(line).toContain(`default ${spec.default}`);
      }
    }
    expect(parseFlags(BUILD_COMMAND, ['-h'], {}).kind).toBe('help');
  });

  it('is what the CLIs use: --help exits 0 with the help, a bad flag exits 2', async () => {
    const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
    for (const [name, command] of Object.entries(COMMANDS)) {
      const { stdout } = await run(tsx, [`scripts/${name}.ts`, '--help'], { cwd: repoRoot });
      expect(stdout.trim()).toBe(helpText(command));
      const failed = await run(tsx, [`scripts/${name}.ts`, '--no-such-flag'], { cwd: repoRoot }).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed?.code, name).toBe(2);
      expect(failed?.stderr).toMatch(/no-such-flag/);
    }
  }, 60_000);
});
