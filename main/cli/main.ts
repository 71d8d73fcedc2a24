/**
 * `ifcb-viewer` command line. Each command lives in ./commands/<name>.ts and exports
 * `run(args: string[], io: CliIo, scope: CommandScope): Promise<number>` (the exit code). A command opens what it needs
 * through `scope` (the library: main/app/library.ts), and the runner closes it all once when the command ends.
 * Exit codes: 0 ok, 2 usage, 3 data error (an IfcbError; its code goes to stderr).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isIfcbError } from '../../shared/errors.ts';
import { DisposableStore } from '../app/disposable-store.ts';
import { EXIT_DATA_ERROR, EXIT_USAGE, UsageError, processIo, type CliIo, type CommandScope } from './io.ts';

/** The real process's streams (a reader closing the pipe ends the command quietly); bin/ifcb-viewer.js uses it too. */
export { processIo };

type Command = { run(args: string[], io: CliIo, scope: CommandScope): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  info: { summary: 'info PATH [--json] [--checksums]       describe one bin', load: () => import('./commands/info.ts') },
  index: { summary: 'index DIR... [--db FILE] [--watch]     add folders to the catalogue', load: () => import('./commands/index.ts') },
  bins: { summary: 'bins [--db FILE] [--from ISO] [--to ISO] [--instrument N] [--json]', load: () => import('./commands/bins.ts') },
  timeline: { summary: 'timeline [--db FILE] --from ISO --to ISO [--json]', load: () => import('./commands/timeline.ts') },
  classes: { summary: 'classes PATH [--products DIR]... [--px-per-um N] [--db FILE] [--json]   classifier results, labels, sizes', load: () => import('./commands/classes.ts') },
  labels: { summary: 'labels import FILE... | labels export --out DIR [--format mat|csv] [--from ISO --to ISO] [--db FILE]', load: () => import('./commands/labels.ts') },
  results: { summary: 'results add ROOT RESULTS_DIR | results list [--db FILE]   folders of class/feature files', load: () => import('./commands/results.ts') },
  export: { summary: 'export PATH... [--rois 1,3,5-9] --out DIR|FILE.zip [--format png|tiff] [--ecotaxa] [--metadata]', load: () => import('./commands/export.ts') },
};

export function usage(): string {
  return ['usage: ifcb-viewer <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  ifcb-viewer ${c.summary}`)].join('\n');
}

/** Run one command; `scope` owns what it opens (tests pass their own to watch it being closed). */
export async function main(argv: string[], io: CliIo, scope: CommandScope = commandScope(io, argv[0])): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(usage() + '\n');
      return name === undefined ? EXIT_USAGE : 0;
    }
    const entry = COMMANDS[name];
    if (!entry) {
      io.stderr.write(`ifcb-viewer: unknown command "${name}"\n${usage()}\n`);
      return EXIT_USAGE;
    }
    const command = await entry.load();
    return await command.run(rest, io, scope);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`ifcb-viewer ${name}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (isIfcbError(e)) {
      io.stderr.write(`ifcb-viewer ${name}: error ${e.code}: ${e.message}\n`);
      return EXIT_DATA_ERROR;
    }
    throw e;
  } finally {
    await scope.dispose();
  }
}

/** A scope whose parts that fail to close say so on stderr (the command's own result stands). */
function commandScope(io: CliIo, name: string | undefined): CommandScope {
  return new DisposableStore((message, e) => io.stderr.write(`ifcb-viewer ${name ?? ''}: ${message}: ${e instanceof Error ? e.message : String(e)}\n`));
}

// Run when executed directly (`tsx main/cli/main.ts …`, `node dist/cli/ifcb-viewer.js …`); bin/ifcb-viewer.js imports
// the bundle and calls main() itself.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2), processIo()).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`ifcb-viewer: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
