/**
 * Moving labels in and out of the library: import manual_classify `.mat` files, class2use lists, ClassiPyR's
 * `annotations.sqlite` and ClassiPyR-style CSV tables; export as manual_classify-compatible `<bin>.mat` (our MAT
 * v5 writer) or one CSV. Unreviewed rows (NaN, `is_manual = 0`) are not labels and are not imported.
 * Exports never overwrite: every target is checked first, each file is written beside its target under a
 * temporary name and hard-linked into place (EXPORT_TARGET_EXISTS when something appeared meanwhile).
 */
import { linkSync, mkdirSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';
import { readClassipyrSqlite } from './classipyr-sqlite.ts';
import { parseCsv } from './csv.ts';
import type { LabelStore, StoredLabel } from './label-store.ts';
import { readMat5, stringsOf } from './mat5.ts';
import { writeMat5 } from './mat5-writer.ts';
import { readManualMat } from './manual-mat.ts';
import { readProductBytes, readProductText } from './product-file.ts';
import { parseRoiId } from './roi-id.ts';
import { UNCLASSIFIED } from './types.ts';

export interface ImportSummary {
  file: string;
  /** What the file was read as. */
  kind: 'manual-mat' | 'class-list' | 'classipyr-sqlite' | 'labels-csv';
  labels: number;
  bins: number;
}

/** ClassiPyR's annotation columns; our CSV export writes them too, so it imports back. */
export const LABEL_CSV_COLUMNS = ['sample_name', 'roi_number', 'class_name', 'annotator', 'timestamp'] as const;

type Entry = { binId: string; roi: number; label: string | null };

function binIdOfFile(file: string): string {
  const stem = path.basename(file).replace(/\.mat$/i, '');
  if (!tryParseBinName(stem)) {
    throw new IfcbError('INVALID_BIN_ID', `${file}: a manual result file is named <bin>.mat; "${stem}" is not a bin id.`, { path: file });
  }
  return stem;
}

/** ClassiPyR stores `YYYY-MM-DD HH:MM:SS`; our CSV ISO 8601. Unparseable → now. */
function parseTime(text: string | null, fallback: number): number {
  if (!text) return fallback;
  const ms = Date.parse(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(ms) ? fallback : ms;
}

function importCsv(store: LabelStore, file: string, annotator: string, now: number): ImportSummary {
  const [header, ...rows] = parseCsv(readProductText(file), file);
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [bin, roi, label] = [col('sample_name'), col('roi_number'), col('class_name')];
  if (bin < 0 || roi < 0 || label < 0) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: a label table needs the columns sample_name, roi_number, class_name.`, { path: file });
  }
  // one change per (annotator, time) so who/when is kept
  const groups = new Map<string, { annotator: string; atMs: number; entries: Entry[] }>();
  rows.forEach((r, i) => {
    const binId = r[bin] ?? '';
    if (!tryParseBinName(binId)) throw new IfcbError('PRODUCT_MALFORMED', `${file} line ${i + 2}: "${binId.slice(0, 40)}" is not a bin id.`, { path: file, line: i + 2 });
    const name = (r[label] ?? '').trim();
    if (name === '' || /^nan$/i.test(name)) return;
    const who = r[col('annotator')] || annotator;
    const at = parseTime(r[col('timestamp')] ?? null, now);
    const key = `${who}\u0000${at}`;
    if (!groups.has(key)) groups.set(key, { annotator: who, atMs: at, entries: [] });
    groups.get(key)!.entries.push({ binId, roi: parseRoiId(r[roi]!, file), label: name });
  });
  let labels = 0;
  const bins = new Set<string>();
  for (const g of groups.values()) {
    store.apply(g.entries, { annotator: g.annotator, atMs: g.atMs, kind: 'import', source: path.basename(file) });
    labels += g.entries.length;
    for (const e of g.entries) bins.add(e.binId);
  }
  return { file, kind: 'labels-csv', labels, bins: bins.size };
}

/** Import one file into the store (one undoable change per bin and author). */
export function importLabelFile(store: LabelStore, file: string, options: { annotator: string; now?: number }): ImportSummary {
  const now = options.now ?? Date.now();
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mat') {
    const bytes = readProductBytes(file);
    const mat = readMat5(bytes, file);
    if (!mat.variables.has('classlist')) {
      const list = mat.variables.get('class2use') ?? mat.variables.get('class2use_manual');
      if (!list) throw new IfcbError('PRODUCT_MALFORMED', `${file} has neither a classlist nor a class2use list.`, { path: file });
      store.saveClassList(path.basename(file, '.mat'), stringsOf(list, 'class2use', file), path.basename(file), now);
      return { file, kind: 'class-list', labels: 0, bins: 0 };
    }
    const binId = binIdOfFile(file);
    const manual = readManualMat(bytes, file);
    const entries: Entry[] = manual.rois.flatMap((roi, i) => (manual.labels[i] === null ? [] : [{ binId, roi, label: manual.labels[i]! }]));
    store.saveClassList(binId, manual.classes, path.basename(file), now);
    store.apply(entries, { annotator: options.annotator, atMs: now, kind: 'import', source: path.basename(file) });
    return { file, kind: 'manual-mat', labels: entries.length, bins: 1 };
  }
  if (ext === '.sqlite' || ext === '.db' || ext === '.sqlite3') {
    const groups = new Map<string, { annotator: string; atMs: number; entries: Entry[] }>();
    for (const a of readClassipyrSqlite(file)) {
      if (a.label === null) continue;
      const who = a.annotator ?? options.annotator;
      const at = parseTime(a.timestamp, now);
      const key = `${a.bin}\u0000${who}\u0000${at}`;
      if (!groups.has(key)) groups.set(key, { annotator: who, atMs: at, entries: [] });
      groups.get(key)!.entries.push({ binId: a.bin, roi: a.roi, label: a.label });
    }
    let labels = 0;
    const bins = new Set<string>();
    for (const g of groups.values()) {
      store.apply(g.entries, { annotator: g.annotator, atMs: g.atMs, kind: 'import', source: path.basename(file) });
      labels += g.entries.length;
      bins.add(g.entries[0]!.binId);
    }
    return { file, kind: 'classipyr-sqlite', labels, bins: bins.size };
  }
  if (ext === '.csv') return importCsv(store, file, options.annotator, now);
  throw new IfcbError('INVALID_ARGUMENT', `${file}: labels are imported from .mat, .csv or ClassiPyR .sqlite files.`, { path: file });
}

// ---------------------------------------------------------------------------------------------------------
// Export

export interface ExportOptions {
  out: string;
  format: 'mat' | 'csv';
  /** Bins whose timestamp lies in [fromMs, toMs) (bin time, from the id). */
  fromMs?: number;
  toMs?: number;
  now?: Date;
}

/** ADC rows of catalogued bins (a manual file lists every row); absent when the bin is not catalogued. */
function adcRowsOf(db: Database, binId: string): number | null {
  const row = db.prepare('SELECT max(adc_rows) AS n FROM bins WHERE id = ?').get(binId) as { n: number | null } | undefined;
  return row?.n ?? null;
}

/** The manual_classify variables for one bin's labels. */
export function manualMatFor(binId: string, labels: readonly StoredLabel[], classList: readonly string[] | null, adcRows: number | null, now?: Date): Uint8Array {
  const classes = classList ? [...classList] : [UNCLASSIFIED];
  for (const name of [...new Set(labels.map((l) => l.label).filter((l): l is string => l !== null))].sort()) if (!classes.includes(name)) classes.push(name);
  const n = Math.max(adcRows ?? 0, ...labels.map((l) => l.roi));
  const byRoi = new Map(labels.map((l) => [l.roi, l.label]));
  const data = new Float64Array(n * 3).fill(Number.NaN);
  for (let r = 1; r <= n; r++) {
    data[r - 1] = r;
    const label = byRoi.get(r);
    if (label !== undefined && label !== null) data[n + r - 1] = classes.indexOf(label) + 1;
  }
  return writeMat5(
    [
      ['classlist', { kind: 'double', rows: n, cols: 3, data }],
      ['class2use_manual', { kind: 'cell', shape: 'row', items: classes }],
      ['class2use_auto', { kind: 'double', rows: 0, cols: 0, data: [] }],
      ['list_titles', { kind: 'cell', shape: 'row', items: ['roi number', 'manual', 'auto'] }],
      ['default_class_original', { kind: 'cell', shape: 'row', items: [UNCLASSIFIED] }],
    ],
    now,
  );
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Write `bytes` to `target` atomically without ever replacing an existing file. */
function writeNew(target: string, bytes: Uint8Array | string): void {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
  writeFileSync(temp, bytes, { flag: 'wx' });
  try {
    linkSync(temp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new IfcbError('EXPORT_TARGET_EXISTS', `${target} already exists; choose another folder.`, { path: target });
    throw new IfcbError('EXPORT_FAILED', `Cannot write ${target} (${(e as Error).message}).`, { path: target }, { cause: e });
  } finally {
    unlinkSync(temp);
  }
}

/** Export the store's labels; returns the files written. */
export function exportLabels(store: LabelStore, options: ExportOptions): string[] {
  const inRange = (binId: string): boolean => {
    const parsed = tryParseBinName(binId);
    if (!parsed) return false;
    return (options.fromMs === undefined || parsed.epochMs >= options.fromMs) && (options.toMs === undefined || parsed.epochMs < options.toMs);
  };
  const labels = store.all(inRange);
  const byBin = new Map<string, StoredLabel[]>();
  for (const l of labels) byBin.set(l.binId, [...(byBin.get(l.binId) ?? []), l]);
  const files: { target: string; bytes: Uint8Array | string }[] = [];
  if (options.format === 'csv') {
    const lines = [LABEL_CSV_COLUMNS.join(',')];
    for (const l of labels) if (l.label !== null) lines.push([l.binId, String(l.roi), csvCell(l.label), csvCell(l.annotator), new Date(l.atMs).toISOString()].join(','));
    files.push({ target: path.join(options.out, 'labels.csv'), bytes: lines.join('\n') + '\n' });
  } else {
    for (const [binId, binLabels] of byBin) {
      files.push({ target: path.join(options.out, `${binId}.mat`), bytes: manualMatFor(binId, binLabels, store.classList(binId), adcRowsOf(store.db, binId), options.now) });
    }
  }
  const existing = files.filter((f) => existsSync(f.target)).map((f) => f.target);
  if (existing.length > 0) throw new IfcbError('EXPORT_TARGET_EXISTS', `${existing.length} file(s) already exist, e.g. ${existing[0]}; choose another folder.`, { paths: existing.slice(0, 20) });
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (e) {
    throw new IfcbError('EXPORT_FAILED', `Cannot create ${options.out} (${(e as Error).message}).`, { path: options.out }, { cause: e });
  }
  for (const f of files) writeNew(f.target, f.bytes);
  return files.map((f) => f.target);
}
