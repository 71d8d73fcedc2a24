/**
 * `ifcb-viewer labels import FILE... [--db FILE] [--annotator NAME]`: manual `.mat` files, class2use lists (`.mat`,
 * or `.txt` one class per line), ClassiPyR `annotations.sqlite` or label CSVs into the library database (created if
 * needed), as one undo step; a file that cannot be read is reported (exit 3) and the others are imported.
 * `ifcb-viewer labels export --out DIR [--format mat|csv] [--from ISO --to ISO] [--db FILE]`: one
 * manual_classify-compatible `<bin>.mat` per bin, or one `labels.csv`; --from/--to select bins by their time.
 */
import { openLibraryDatabase } from '../../app/library.ts';
import { refreshClassCounts } from '../../products/class-counts.ts';
import { LabelStore, currentAnnotator } from '../../products/label-store.ts';
import { exportLabels, importLabelFiles } from '../../products/labels-io.ts';
import { EXIT_DATA_ERROR, EXIT_OK, UsageError, parseOptions, type CliIo, type CommandScope } from '../io.ts';

const USAGE = `usage: ifcb-viewer labels import FILE... [--db FILE] [--annotator NAME]
       ifcb-viewer labels export --out DIR [--format mat|csv] [--from ISO] [--to ISO] [--db FILE]`;

function isoMs(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} "${v}" is not an ISO date (e.g. 2022-05-22 or 2022-05-22T00:30:51Z)`);
  return ms;
}

/** CLI entry. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseOptions(rest, {
    db: { type: 'string' },
    annotator: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help || action === '--help' || action === '-h') {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (action === 'import') {
    if (positionals.length === 0) throw new UsageError(`labels import needs at least one FILE\n${USAGE}`);
    const db = openLibraryDatabase(scope, values.db);
    // the app's import (dialog:import-labels): every file read first, one undo step, a bad file reported, the rest imported
    const outcome = await importLabelFiles(new LabelStore(db), positionals, { annotator: values.annotator ?? currentAnnotator() });
    for (const s of outcome.imported) io.stdout.write(`${s.file}: ${s.kind}, ${s.labels} label(s) for ${s.bins} bin(s)\n`);
    for (const p of outcome.problems) io.stderr.write(`ifcb-viewer labels: ${p.file}: error ${p.code}: ${p.message}\n`);
    // the chart's class counts of catalogued bins follow their labels (unchanged bins are skipped)
    refreshClassCounts(db, { binIds: [...outcome.rois.keys()] });
    return outcome.problems.length > 0 ? EXIT_DATA_ERROR : EXIT_OK;
  }
  if (action === 'export') {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
    if (values.out === undefined) throw new UsageError(`labels export needs --out DIR\n${USAGE}`);
    const format = values.format ?? 'mat';
    if (format !== 'mat' && format !== 'csv') throw new UsageError(`--format must be mat or csv, not "${format}"`);
    const fromMs = isoMs(values.from, 'from');
    const toMs = isoMs(values.to, 'to');
    const store = new LabelStore(openLibraryDatabase(scope, values.db, { existing: true }));
    const files = exportLabels(store, { out: values.out, format, ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) });
    io.stdout.write(`${files.length} file(s) written to ${values.out}\n`);
    return EXIT_OK;
  }
  throw new UsageError(`labels needs "import" or "export"${action === undefined ? '' : `, not "${action}"`}\n${USAGE}`);
}
