/**
 * Moving labels in and out of the library: import manual_classify `.mat` files, class2use lists (`.mat`, or plain
 * text one class per line), ClassiPyR's `annotations.sqlite` and ClassiPyR-style CSV tables, each import one undo step; export as manual_classify-compatible `<bin>.mat` (our MAT
 * v5 writer) or one CSV. Unreviewed rows (NaN, `is_manual = 0`) are not labels and are not imported.
 * Exports never overwrite: every target is checked first, each file is written beside its target under a
 * temporary name and hard-linked into place (EXPORT_TARGET_EXISTS when something appeared meanwhile).
 */
import { linkSync, mkdirSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { IfcbError, isIfcbError, type ErrorCode } from '../../shared/errors.ts';
import { isBinId, tryParseBinName } from '../../shared/ifcb/bin-id.ts';
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

/** One label read from a file, with who gave it when (the file's, else the importing user and the import time). */
export interface ImportedLabel {
  binId: string;
  roi: number;
  label: string;
  annotator: string;
  atMs: number;
}

/** What one file holds: labels, and the class2use list it carries (a manual file's by bin id, a class2use file's by its name). */
export interface LabelFileContents {
  kind: ImportSummary['kind'];
  labels: ImportedLabel[];
  classList: { name: string; classes: string[] } | null;
}

interface ReadOptions {
  /** Who imports (for rows that do not say who labelled them). */
  annotator: string;
  /** The import time (for rows that do not say when). */
  now: number;
}

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

function readCsvLabels(file: string, options: ReadOptions): ImportedLabel[] {
  const [header, ...rows] = parseCsv(readProductText(file), file);
  const col = (name: string) => header?.indexOf(name) ?? -1;
  const [bin, roi, label, who, when] = [col('sample_name'), col('roi_number'), col('class_name'), col('annotator'), col('timestamp')];
  if (bin < 0 || roi < 0 || label < 0) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: a label table needs the columns sample_name, roi_number, class_name.`, { path: file });
  }
  return rows.flatMap((r, i) => {
    const binId = r[bin] ?? '';
    // the bin id itself: a name with anything after it (a ROI suffix, an extension) would file labels under no bin
    if (!isBinId(binId)) throw new IfcbError('PRODUCT_MALFORMED', `${file} line ${i + 2}: "${binId.slice(0, 40)}" is not a bin id.`, { path: file, line: i + 2 });
    const name = (r[label] ?? '').trim();
    if (name === '' || /^nan$/i.test(name)) return [];
    return [{ binId, roi: parseRoiId(r[roi]!, file), label: name, annotator: r[who] || options.annotator, atMs: parseTime(r[when] ?? null, options.now) }];
  });
}

/** Read one label file (nothing is stored): manual `.mat`, class2use `.mat` or `.txt`, ClassiPyR `.sqlite`, label `.csv`. */
export function readLabelFile(file: string, options: ReadOptions): LabelFileContents {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.mat') {
    const bytes = readProductBytes(file);
    const mat = readMat5(bytes, file);
    if (!mat.variables.has('classlist')) {
      const list = mat.variables.get('class2use') ?? mat.variables.get('class2use_manual');
      if (!list) throw new IfcbError('PRODUCT_MALFORMED', `${file} has neither a classlist nor a class2use list.`, { path: file });
      return { kind: 'class-list', labels: [], classList: { name: path.basename(file, path.extname(file)), classes: stringsOf(list, 'class2use', file) } };
    }
    const binId = binIdOfFile(file);
    const manual = readManualMat(bytes, file);
    const labels = manual.rois.flatMap((roi, i) => (manual.labels[i] === null ? [] : [{ binId, roi, label: manual.labels[i]!, annotator: options.annotator, atMs: options.now }]));
    return { kind: 'manual-mat', labels, classList: { name: binId, classes: manual.classes } };
  }
  if (ext === '.txt') return { kind: 'class-list', labels: [], classList: { name: path.basename(file, path.extname(file)), classes: readClassListText(file) } };
  if (ext === '.sqlite' || ext === '.db' || ext === '.sqlite3') {
    const labels = readClassipyrSqlite(file).flatMap((a) => {
      if (!isBinId(a.bin)) throw new IfcbError('PRODUCT_MALFORMED', `${file}: "${a.bin.slice(0, 40)}" is not a bin id.`, { path: file });
      return a.label === null ? [] : [{ binId: a.bin, roi: a.roi, label: a.label, annotator: a.annotator ?? options.annotator, atMs: parseTime(a.timestamp, options.now) }];
    });
    return { kind: 'classipyr-sqlite', labels, classList: null };
  }
  if (ext === '.csv') return { kind: 'labels-csv', labels: readCsvLabels(file, options), classList: null };
  throw new IfcbError('INVALID_ARGUMENT', `${file}: labels are imported from .mat, .csv or ClassiPyR .sqlite files, class lists from .mat or .txt files.`, { path: file });
}

/** Most classes in a plain-text class list (a real list has a few hundred). */
const MAX_LIST_CLASSES = 10_000;

/** A plain-text class list: one class per line; blank lines and surrounding spaces ignored, each name once. */
function readClassListText(file: string): string[] {
  const names = [...new Set(readProductText(file).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''))];
  if (names.length === 0) throw new IfcbError('PRODUCT_MALFORMED', `${file}: a class list has one class name per line; this file has none.`, { path: file });
  // a SYKE thresholds file (`<class> <threshold>` per line) is a .txt too, but not a class list
  if (names.every((n) => /^\S+\s+[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(n))) {
    throw new IfcbError('INVALID_ARGUMENT', `${file} is a table of class thresholds, not a class list (one class name per line).`, { path: file });
  }
  if (names.length > MAX_LIST_CLASSES) throw new IfcbError('PRODUCT_TOO_LARGE', `${file}: ${names.length} class names (at most ${MAX_LIST_CLASSES}).`, { path: file });
  const bad = names.find((n) => /[\u0000-\u001f\u007f]/.test(n) || n.length > 200);
  if (bad !== undefined) throw new IfcbError('PRODUCT_MALFORMED', `${file}: "${bad.slice(0, 40)}" is not a class name (control characters, or longer than 200).`, { path: file });
  return names;
}

function summaryOf(file: string, contents: LabelFileContents): ImportSummary {
  return { file, kind: contents.kind, labels: contents.labels.length, bins: new Set(contents.labels.map((l) => l.binId)).size };
}

/** Store what was read: the class lists, then every label as ONE undoable change (null when there were none). */
function storeContents(store: LabelStore, read: readonly { file: string; contents: LabelFileContents }[], options: ReadOptions): number | null {
  for (const { file, contents } of read) if (contents.classList) store.saveClassList(contents.classList.name, contents.classList.classes, path.basename(file), options.now);
  const sources = read.filter((r) => r.contents.labels.length > 0).map((r) => path.basename(r.file));
  return store.apply(
    read.flatMap((r) => r.contents.labels),
    { annotator: options.annotator, atMs: options.now, kind: 'import', source: sources.length === 1 ? sources[0]! : `${sources.length} files` },
  );
}

/** Import one file into the store (one undoable change); a bad file throws its error. */
export function importLabelFile(labels: LabelStore, file: string, options: { annotator: string; now?: number }): ImportSummary {
  const read = { annotator: options.annotator, now: options.now ?? Date.now() };
  const contents = readLabelFile(file, read);
  storeContents(labels, [{ file, contents }], read);
  return summaryOf(file, contents);
}

/** A file that could not be imported, with its error. */
export interface ImportProblem {
  file: string;
  code: ErrorCode;
  message: string;
}

export interface ImportOutcome {
  imported: ImportSummary[];
  problems: ImportProblem[];
  /** The one undoable change holding every label imported (null: none). */
  changeId: number | null;
  /** The ROIs labelled, by bin. */
  rois: Map<string, number[]>;
}

/**
 * Import several files as one undo step: every file is read first, a bad file is reported with its error and the
 * others are imported all the same. `onFile` reports progress after each file.
 */
export async function importLabelFiles(
  labels: LabelStore,
  files: readonly string[],
  options: { annotator: string; now?: number; onFile?: (done: number, total: number, file: string) => void | Promise<void>; signal?: AbortSignal },
): Promise<ImportOutcome> {
  const read = { annotator: options.annotator, now: options.now ?? Date.now() };
  const ok: { file: string; contents: LabelFileContents }[] = [];
  const problems: ImportProblem[] = [];
  for (const [i, file] of files.entries()) {
    if (options.signal?.aborted) throw new IfcbError('CANCELLED', 'The import was cancelled; nothing was stored.');
    try {
      ok.push({ file, contents: readLabelFile(file, read) });
    } catch (e) {
      if (!isIfcbError(e)) console.error(`[ifcb] importing ${file} failed`, e);
      problems.push(isIfcbError(e) ? { file, code: e.code, message: e.message } : { file, code: 'INTERNAL', message: `${file} could not be read; see the application log.` });
    }
    await options.onFile?.(i + 1, files.length, file);
  }
  if (options.signal?.aborted) throw new IfcbError('CANCELLED', 'The import was cancelled; nothing was stored.');
  const changeId = storeContents(labels, ok, read);
  const rois = new Map<string, number[]>();
  for (const { contents } of ok) {
    for (const l of contents.labels) {
      const targets = rois.get(l.binId);
      if (targets) targets.push(l.roi);
      else rois.set(l.binId, [l.roi]);
    }
  }
  return { imported: ok.map((r) => summaryOf(r.file, r.contents)), problems, changeId, rois };
}

// ---------------------------------------------------------------------------------------------------------
// Export

export interface ExportOptions {
  out: string;
  format: 'mat' | 'csv';
  /** Bins whose timestamp lies in [fromMs, toMs) (bin time, from the id). */
  fromMs?: number;
  toMs?: number;
  /** Only these bins. */
  binIds?: ReadonlySet<string>;
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

/** The files a label export will write, checked against what exists (nothing is written yet). */
export interface LabelExportPlan {
  out: string;
  files: { target: string; bytes: Uint8Array | string }[];
  /** Labels exported (cleared ones are not) and the bins they belong to. */
  labels: number;
  bins: number;
}

/** Plan an export of the store's labels: EXPORT_TARGET_EXISTS when any of its files exists already. */
export function planLabelExport(store: LabelStore, options: ExportOptions): LabelExportPlan {
  const inRange = (binId: string): boolean => {
    if (options.binIds && !options.binIds.has(binId)) return false;
    const parsed = tryParseBinName(binId);
    if (!parsed) return false;
    return (options.fromMs === undefined || parsed.epochMs >= options.fromMs) && (options.toMs === undefined || parsed.epochMs < options.toMs);
  };
  const labels = store.all(inRange);
  const byBin = new Map<string, StoredLabel[]>();
  for (const l of labels) {
    const list = byBin.get(l.binId);
    if (list) list.push(l);
    else byBin.set(l.binId, [l]);
  }
  const files: LabelExportPlan['files'] = [];
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
  const given = labels.filter((l) => l.label !== null);
  return { out: options.out, files, labels: given.length, bins: new Set(given.map((l) => l.binId)).size };
}

/** Write a planned export, each file atomically and never over an existing one; returns the files written. */
export function writeLabelExport(plan: LabelExportPlan): string[] {
  try {
    mkdirSync(plan.out, { recursive: true });
  } catch (e) {
    throw new IfcbError('EXPORT_FAILED', `Cannot create ${plan.out} (${(e as Error).message}).`, { path: plan.out }, { cause: e });
  }
  for (const f of plan.files) writeNew(f.target, f.bytes);
  return plan.files.map((f) => f.target);
}

/** Export the store's labels; returns the files written. */
export function exportLabels(store: LabelStore, options: ExportOptions): string[] {
  return writeLabelExport(planLabelExport(store, options));
}
