/**
 * `ifcb-viewer index DIR... [--db FILE] [--watch]`: add folders to the catalogue and index them
 * (incrementally: unchanged bins are not read again). A progress bar on a terminal, plain lines
 * otherwise. With no DIR, re-indexes every folder already in the catalogue. `--watch` keeps the
 * catalogue live until Ctrl-C. Ctrl-C while indexing stops cleanly; the next run resumes.
 * Everything under the folders that is not a usable bin is listed after the summary with its reason.
 */
import { describeRebuild, openLibrary } from '../../app/library.ts';
import { defaultDatabasePath } from '../../index/database-path.ts';
import { listProblems } from '../../index/queries.ts';
import { refreshProductsAfterIndex } from '../../products/product-store.ts';
import type { IndexProgress, IndexSummary, LibraryProblem, RootRecord } from '../../index/types.ts';
import { EXIT_OK, UsageError, interruptSignal, parseOptions, type CliIo, type CommandScope } from '../io.ts';

const USAGE = `usage: ifcb-viewer index [DIR...] [--db FILE] [--watch] [--blacklist a,b] [--rebuild] [--workers N]
  DIR          folders to add: every bin below them is found, under any folder names (none: re-index the folders already catalogued)
  --db FILE    catalogue file (default $IFCB_VIEWER_DB or ${defaultDatabasePath()})
  --watch      keep indexing new and changed bins until Ctrl-C
  --blacklist  folder names never entered (default skip,beads; hidden folders are never entered)
  --rebuild    start the catalogue afresh (also repairs a damaged or too-new catalogue file)`;

const EXIT_INTERRUPTED = 130;

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function fmtRate(p: IndexProgress): string {
  const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
  return `${p.perSecond.toFixed(0)} bins/s${eta}`;
}

/** A one-line bar redrawn in place (terminal) or a plain line at most once a second (pipes, logs). */
function progressPrinter(io: CliIo): { update(p: IndexProgress): void; end(): void } {
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p) {
      const total = p.found;
      const done = p.found - p.remaining;
      if (io.isTTY) {
        const width = 30;
        const filled = total === 0 ? 0 : Math.min(width, Math.round((done / total) * width));
        const phase = p.phase === 'walking' ? ' (still finding bins)' : '';
        io.stdout.write(`\r\x1b[K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} bins, ${p.indexed} read, ${fmtRate(p)}${phase}`);
        drawn = true;
      } else if (p.elapsedMs - lastPlain >= 1000) {
        lastPlain = p.elapsedMs;
        io.stdout.write(`progress: found ${total}, unchanged ${p.unchanged}, indexed ${p.indexed}, remaining ${p.remaining}, ${fmtRate(p)}\n`);
      }
    },
    end() {
      if (drawn) io.stdout.write('\n');
      drawn = false;
    },
  };
}

function summaryLine(s: IndexSummary): string {
  const secs = (s.elapsedMs / 1000).toFixed(2);
  return (
    `${s.cancelled ? 'cancelled' : 'indexed'}: ${s.found} bins found, ${s.added} added, ${s.updated} updated, ${s.removed} removed, ` +
    `${s.unchanged} unchanged, ${s.unreadable} unreadable, ${s.problems} problems in ${secs} s (${s.filesRead.adc} .adc files read)`
  );
}

/** One line per file not indexed or bin not readable: `skipped|unreadable ROOT/PATH: CODE: message`. */
function problemLine(p: LibraryProblem, roots: readonly RootRecord[]): string {
  const root = roots.find((r) => r.rootId === p.rootId)?.path ?? `root ${p.rootId}`;
  const where = p.path === '.' ? root : `${root}/${p.path}`;
  return `  ${p.kind}: ${where}: ${p.code}: ${p.message}`;
}

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    db: { type: 'string' },
    watch: { type: 'boolean' },
    blacklist: { type: 'string' },
    rebuild: { type: 'boolean' },
    workers: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > 16)) throw new UsageError(`--workers must be 1…16\n${USAGE}`);
  const catalogue = openLibrary(scope, values.db, { rebuild: values.rebuild === true, ...(workers === undefined ? {} : { workers }) });
  const interrupted = interruptSignal(scope);
  const rules = values.blacklist !== undefined ? { blacklist: list(values.blacklist)! } : {};
  const roots = positionals.map((dir) => catalogue.addRoot(dir, rules));
  const rootIds = roots.length > 0 ? roots.map((r) => r.rootId) : undefined;
  if (rootIds === undefined && catalogue.listRoots().length === 0) throw new UsageError(`the catalogue ${catalogue.path} has no folders yet: give at least one DIR\n${USAGE}`);
  io.stdout.write(`catalogue: ${catalogue.path}\n`);
  if (catalogue.rebuiltFrom) for (const line of describeRebuild(catalogue.rebuiltFrom)) io.stdout.write(`${line}\n`);
  const printer = progressPrinter(io);
  const summary = await catalogue.index(rootIds, { onProgress: (p) => printer.update(p), signal: interrupted });
  printer.end();
  // as the app does after an index: which bins have which products, and their class counts
  if (!summary.cancelled) refreshProductsAfterIndex(catalogue.db, rootIds);
  io.stdout.write(summaryLine(summary) + '\n');
  const allRoots = catalogue.listRoots();
  for (const p of listProblems(catalogue.reader, rootIds)) io.stdout.write(problemLine(p, allRoots) + '\n');
  if (summary.cancelled) {
    io.stdout.write('run the same command again to resume\n');
    return EXIT_INTERRUPTED;
  }
  if (!values.watch) return EXIT_OK;

  const watched = rootIds ?? catalogue.listRoots().map((r) => r.rootId);
  const handles = watched.map((id) =>
    catalogue.watch(
      id,
      (change) => io.stdout.write(`${change.type} ${change.id}${change.qc.length > 0 ? ` [${change.qc.join(', ')}]` : ''}\n`),
      { onError: (e) => io.stderr.write(`watch: ${e instanceof Error ? e.message : String(e)}\n`) },
    ),
  );
  await Promise.all(handles.map((h) => h.ready));
  io.stdout.write(`watching ${watched.length} folder(s); Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    if (interrupted.aborted) resolve();
    interrupted.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.all(handles.map((h) => h.close()));
  io.stdout.write('stopped watching\n');
  return EXIT_OK;
}
