/**
 * `ifcb-viewer export`: write ROI images (PNG/TIFF) plus optional metadata.csv / EcoTaxa table to a
 * folder or a .zip, from bin paths, folders of bins, or the catalogue (--from/--to/--db).
 * Ctrl-C cancels cleanly: nothing is left at the destination.
 */
import { existsSync, statSync } from 'node:fs';
import { IfcbError } from '../../../shared/errors.ts';
import { exportRois, type ExportItem, type ExportProgress, type ExportRequest, type ExportResult } from '../../export/index.ts';
import { DataDirectory } from '../../ifcb/data-directory.ts';
import { openBin } from '../../ifcb/index.ts';
import { libraryPath } from '../../index/database-path.ts';
import { libraryAnnotator } from '../../products/library-annotator.ts';
import type { BinFilter } from '../../index/queries.ts';
import { DEFAULT_PX_PER_UM } from '../../../shared/mosaic/scale-bar.ts';
import { EXIT_OK, UsageError, interruptSignal, parseOptions, parsePxPerUm, type CliIo, type CommandScope } from '../io.ts';

const USAGE = [
  'usage: ifcb-viewer export PATH... --out DIR|FILE.zip [--rois 1,3,5-9] [--format png|tiff] [--metadata] [--ecotaxa]',
  '                          [--pyifcb] [--by-class] [--px-per-um 3.4] [--db FILE] [--json]',
  '       ifcb-viewer export --from ISO --to ISO [--instrument N] [--db FILE] --out DIR|FILE.zip [options]',
  '  PATH: a bin (.adc/.hdr/.roi or base path) or a folder of bins; --rois needs exactly one bin.',
  '  --pyifcb: whole bins in pyifcb to_zip layout (one <bin>.zip per bin; a FILE.zip takes one bin).',
  '  µm columns use each instrument\'s calibration stored in the library (--db), 3.4 px/µm when none;',
  '  --px-per-um overrides it for every instrument.',
  '  --by-class: images in one folder per class (library label or manual file, else the classifier; none: unclassified/);',
  '  the EcoTaxa table gains object_annotation_* columns when the ROIs have classes.',
].join('\n');

/** Parse `1,3,5-9` into sorted unique targets. */
export function parseRoiList(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const p = part.trim();
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (!m) throw new UsageError(`--rois: "${p}" is not a target number or range (e.g. 1,3,5-9)`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a) throw new UsageError(`--rois: "${p}" is not a valid range (targets start at 1)`);
    if (b - a > 10_000_000) throw new UsageError(`--rois: range "${p}" is too large`);
    for (let t = a; t <= b; t++) out.add(t);
  }
  return [...out].sort((x, y) => x - y);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function itemsFromPaths(paths: string[], io: CliIo): ExportItem[] {
  const items: ExportItem[] = [];
  for (const p of paths) {
    if (isDirectory(p)) {
      // a folder the user named: every bin under it (the blacklist still applies; no path-name rule)
      const dir = new DataDirectory(p, { validatePaths: false });
      for (const bin of dir) items.push({ binPath: bin.paths.base, binId: bin.id });
      for (const problem of dir.problems) io.stderr.write(`ifcb-viewer export: skipped ${JSON.stringify(problem)}\n`);
    } else {
      const bin = openBin(p);
      items.push({ binPath: bin.paths.base, binId: bin.id });
    }
  }
  return items;
}

/** Bins from the library; the catalogue (better-sqlite3, a native module) loads only for this form of the command. */
async function itemsFromCatalogue(scope: CommandScope, dbPath: string | undefined, filter: BinFilter): Promise<ExportItem[]> {
  const [{ openLibrary }, { listBins }] = await Promise.all([import('../../app/library.ts'), import('../../index/queries.ts')]);
  // an export reads the library: a missing one is an error, never a new empty database
  const catalogue = openLibrary(scope, dbPath, { existing: true });
  const items: ExportItem[] = [];
  let after: string | undefined;
  do {
    const page = listBins(catalogue.reader, filter, after === undefined ? { limit: 1000 } : { limit: 1000, after });
    for (const b of page.bins) if (b.hasRoiFile) items.push({ binPath: b.path, binId: b.id });
    after = page.next;
  } while (after !== undefined);
  return items;
}

/**
 * Each instrument's calibration as the app stored it in the library database (none when there is no library).
 * The database (a native module) loads only here, when no --px-per-um overrides it and a library exists.
 */
export async function storedCalibration(scope: CommandScope, dbPathOption: string | undefined): Promise<(instrument: number) => number> {
  const dbPath = libraryPath(dbPathOption);
  if (!existsSync(dbPath)) return () => DEFAULT_PX_PER_UM;
  const [{ openLibraryDatabase }, { readCalibrations }] = await Promise.all([import('../../app/library.ts'), import('../../index/calibration-store.ts')]);
  const table = readCalibrations(openLibraryDatabase(scope, dbPath));
  return (instrument) => table.get(instrument) ?? DEFAULT_PX_PER_UM;
}

function summary(r: ExportResult): string {
  const scale = r.pxPerUm.map((c) => `${c.pxPerUm} px/µm for IFCB${c.instrument}`).join(', ');
  const tables = r.tables.length > 0 ? ` (+ ${r.tables.join(', ')}${scale ? `; µm at ${scale}` : ''})` : '';
  const skipped = r.skipped.length > 0 ? `; skipped ${r.skipped.length} target(s) without an image` : '';
  return `wrote ${r.images} image(s) to ${r.destination}${tables}${skipped} in ${(r.durationMs / 1000).toFixed(2)} s\n`;
}

/** Run the command; returns the exit code. */
export async function run(args: string[], io: CliIo, scope: CommandScope): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    out: { type: 'string', short: 'o' },
    rois: { type: 'string' },
    format: { type: 'string', default: 'png' },
    metadata: { type: 'boolean', default: false },
    ecotaxa: { type: 'boolean', default: false },
    pyifcb: { type: 'boolean', default: false },
    'by-class': { type: 'boolean', default: false },
    'px-per-um': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    instrument: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (!values.out) throw new UsageError(`--out is required\n${USAGE}`);
  if (values.format !== 'png' && values.format !== 'tiff') throw new UsageError(`--format must be png or tiff, not "${values.format}"`);
  const fromCatalogue = values.from !== undefined || values.to !== undefined || values.instrument !== undefined || (values.db !== undefined && positionals.length === 0);
  if (fromCatalogue && positionals.length > 0) throw new UsageError('give either bin PATHs or --from/--to/--instrument, not both');
  if (!fromCatalogue && positionals.length === 0) throw new UsageError(`no bins given\n${USAGE}`);
  const pxPerUm = parsePxPerUm(values['px-per-um']);

  let items: ExportItem[];
  if (fromCatalogue) {
    const filter: BinFilter = {};
    if (values.from !== undefined) filter.from = values.from;
    if (values.to !== undefined) filter.to = values.to;
    if (values.instrument !== undefined) {
      const n = Number(values.instrument);
      if (!Number.isInteger(n) || n < 0) throw new UsageError('--instrument must be an instrument number');
      filter.instrument = n;
    }
    items = await itemsFromCatalogue(scope, values.db, filter);
  } else {
    items = itemsFromPaths(positionals, io);
  }
  if (items.length === 0) throw new IfcbError('BIN_NOT_FOUND', 'No bins with a .roi file matched; nothing to export.');
  if (values.rois !== undefined) {
    if (items.length !== 1) throw new UsageError(`--rois needs exactly one bin (${items.length} given)`);
    items[0]!.targets = parseRoiList(values.rois);
  }

  const request: ExportRequest = {
    items,
    destination: values.out,
    format: values.format,
    metadata: values.metadata,
    ecotaxa: values.ecotaxa,
    layout: values.pyifcb ? 'pyifcb-zip' : 'rois',
    groupByClass: values['by-class'],
  };
  // classes for the folders per class and the EcoTaxa annotation columns (library labels when there is a library)
  if (values['by-class'] || values.ecotaxa) request.annotate = await libraryAnnotator(scope, values.db);
  const override = pxPerUm;
  // the stored calibration is read only when no --px-per-um overrides it (a broken library cannot block that)
  request.pxPerUm = override !== undefined ? () => override : await storedCalibration(scope, values.db);

  const signal = interruptSignal(scope);
  const onProgress = io.isTTY
    ? (p: ExportProgress) => {
        if (p.phase === 'writing') io.stderr.write(`\r  ${p.done}/${p.total} images`);
        if (p.phase === 'finishing') io.stderr.write(`\r  ${p.done}/${p.total} images, finishing…\n`);
      }
    : undefined;
  const result = await exportRois(request, onProgress ? { signal, onProgress } : { signal });
  if (values.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(summary(result));
  for (const s of values.json ? [] : result.skipped.slice(0, 20)) {
    io.stderr.write(`  skipped ${s.binId} target ${s.target}: ${s.reason}\n`);
  }
  return EXIT_OK;
}
