/**
 * The export's side tables, one row per exported image: `metadata.csv` and EcoTaxa's
 * `ecotaxa_<name>.tsv`. Column documentation: docs/export-format.md (keep the two in step).
 *
 * EcoTaxa's import format (checked against ecotaxa_back `BO/TSVFile.py` and `BO/Mappings.py`): tab
 * separated, read as Latin-1; line 1 = column names `<table>_<field>` with table prefix object, sample,
 * acq, process or img; line 2 = types, `[f]` numeric or `[t]` text; `object_id` and `img_file_name`
 * per row; `object_date` YYYYMMDD and `object_time` HHMMSS; a `<prefix>_id` column is mandatory as soon
 * as any other column of that prefix is present (so `acq_instrument` needs `acq_id`).
 */
import { csvField, ecotaxaDateTime, formatFixed, formatNumber, tsvField } from './format.ts';

/** Everything one table row needs about an exported image. */
export interface RoiRecord {
  binId: string;
  target: number;
  fileName: string;
  /** Bin timestamp, ISO 8601 UTC. */
  timestamp: string;
  epochMs: number;
  instrument: number;
  width: number;
  height: number;
  /** Schema 1: the target merged into this image by stitching. */
  stitchedWith: number | undefined;
  /** The ADC row of the target, in the order of `adcNames`. */
  adcNames: readonly string[];
  adcRow: readonly number[];
  mlAnalyzed: number;
  lookTime: number;
  /** The instrument's calibration used for the µm columns. */
  pxPerUm: number;
}

/** Union of ADC column names over the schemas present, schema 2's 24 names first. */
export function adcColumnUnion(namesBySchema: ReadonlyMap<1 | 2, readonly string[]>): string[] {
  const out: string[] = [];
  for (const schema of [2, 1] as const) {
    for (const n of namesBySchema.get(schema) ?? []) if (!out.includes(n)) out.push(n);
  }
  return out;
}

function adcValue(r: RoiRecord, name: string): number {
  const i = r.adcNames.indexOf(name);
  return i < 0 ? NaN : (r.adcRow[i] ?? NaN);
}

const METADATA_FIXED = ['bin_id', 'target', 'file_name', 'timestamp', 'instrument', 'width_px', 'height_px', 'width_um', 'height_um', 'px_per_um', 'stitched_with'];

/** metadata.csv: header line for the given ADC columns. */
export function metadataHeader(adcColumns: readonly string[]): string {
  return [...METADATA_FIXED, ...adcColumns, 'ml_analyzed', 'look_time'].map(csvField).join(',') + '\n';
}

/** metadata.csv: one row. µm = px / the instrument's px per µm, rounded to 0.01 µm. */
export function metadataRow(r: RoiRecord, adcColumns: readonly string[]): string {
  const cells = [
    r.binId,
    String(r.target),
    r.fileName,
    r.timestamp,
    String(r.instrument),
    String(r.width),
    String(r.height),
    formatFixed(r.width / r.pxPerUm, 2),
    formatFixed(r.height / r.pxPerUm, 2),
    formatNumber(r.pxPerUm),
    r.stitchedWith === undefined ? '' : String(r.stitchedWith),
    ...adcColumns.map((n) => formatNumber(adcValue(r, n))),
    formatNumber(r.mlAnalyzed),
    formatNumber(r.lookTime),
  ];
  return cells.map(csvField).join(',') + '\n';
}

/** EcoTaxa column name of an ADC field (`ROI_WIDTH` → `object_roi_width`). */
export function ecotaxaAdcColumn(name: string): string {
  return `object_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

interface TsvColumn {
  name: string;
  type: '[t]' | '[f]';
  value: (r: RoiRecord) => string;
}

const columnCache = new WeakMap<readonly string[], TsvColumn[]>();

function ecotaxaColumns(adcColumns: readonly string[]): TsvColumn[] {
  let cols = columnCache.get(adcColumns);
  if (!cols) {
    cols = buildEcotaxaColumns(adcColumns);
    columnCache.set(adcColumns, cols);
  }
  return cols;
}

function buildEcotaxaColumns(adcColumns: readonly string[]): TsvColumn[] {
  return [
    { name: 'img_file_name', type: '[t]', value: (r) => r.fileName },
    { name: 'object_id', type: '[t]', value: (r) => r.fileName.replace(/\.[^.]+$/, '') },
    { name: 'object_date', type: '[t]', value: (r) => ecotaxaDateTime(r.epochMs).date },
    { name: 'object_time', type: '[t]', value: (r) => ecotaxaDateTime(r.epochMs).time },
    { name: 'object_target', type: '[f]', value: (r) => String(r.target) },
    { name: 'object_width_px', type: '[f]', value: (r) => String(r.width) },
    { name: 'object_height_px', type: '[f]', value: (r) => String(r.height) },
    { name: 'object_width_um', type: '[f]', value: (r) => formatFixed(r.width / r.pxPerUm, 2) },
    { name: 'object_height_um', type: '[f]', value: (r) => formatFixed(r.height / r.pxPerUm, 2) },
    ...adcColumns.map((n): TsvColumn => ({ name: ecotaxaAdcColumn(n), type: '[f]', value: (r) => formatNumber(adcValue(r, n)) })),
    { name: 'sample_id', type: '[t]', value: (r) => r.binId },
    { name: 'sample_ml_analyzed', type: '[f]', value: (r) => formatNumber(r.mlAnalyzed) },
    { name: 'sample_look_time', type: '[f]', value: (r) => formatNumber(r.lookTime) },
    { name: 'acq_id', type: '[t]', value: (r) => r.binId },
    { name: 'acq_instrument', type: '[t]', value: () => 'IFCB' },
    { name: 'acq_sn', type: '[t]', value: (r) => instrumentName(r) },
    { name: 'acq_px_per_um', type: '[f]', value: (r) => formatNumber(r.pxPerUm) },
  ];
}

/** `IFCB5` (schema 1 ids) / `IFCB013` (schema 2 ids): the instrument as the bin id spells it. */
function instrumentName(r: RoiRecord): string {
  const m = /_(IFCB\d+)$/.exec(r.binId) ?? /^(IFCB\d)_/.exec(r.binId);
  return m ? m[1]! : `IFCB${r.instrument}`;
}

/** EcoTaxa TSV: the header line and the type line. */
export function ecotaxaHead(adcColumns: readonly string[]): string {
  const cols = ecotaxaColumns(adcColumns);
  return cols.map((c) => c.name).join('\t') + '\n' + cols.map((c) => c.type).join('\t') + '\n';
}

/** EcoTaxa TSV: one row. */
export function ecotaxaRow(r: RoiRecord, adcColumns: readonly string[]): string {
  return ecotaxaColumns(adcColumns)
    .map((c) => tsvField(c.value(r)))
    .join('\t') + '\n';
}

/** `ecotaxa_<name>.tsv` for a destination base name (EcoTaxa only picks up files named ecotaxa_*.tsv). */
export function ecotaxaFileName(destinationBase: string): string {
  const name = destinationBase.replace(/\.zip$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'export';
  return `ecotaxa_${name}.tsv`;
}
