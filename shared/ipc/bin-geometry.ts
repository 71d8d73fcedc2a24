/**
 * The binary encoding of `bins:geometry` responses: what the mosaic layout needs of one or more bins (summary,
 * target, width, height, and any ADC columns asked for a sort or filter), without the full JSON metadata. A
 * 10,000-ROI bin is 120 kB here against 1.6 MB of `bin:metadata` JSON, so the first screen waits for less.
 *
 * Layout (integers little-endian uint32, every section starting on an 8-byte boundary):
 *   0   magic 'IFGM', 4 version (1), 8 bin count, 12 zero
 *   then per bin: a 16-byte record (json bytes, image count, column count, zero),
 *                 UTF-8 JSON (`GeometryHead`), padded to 8,
 *                 target[count], width[count], height[count] as uint32, padded to 8,
 *                 column values as float64[count] per column, in the JSON's `columns` order (NaN kept).
 * A bin that could not be read is a record with count 0 and `{ binId, error }` as its JSON: one damaged
 * bin never fails the others in the same request. Environment-free.
 */
import { IfcbError } from '../errors.ts';
import type { ErrorInfo } from '../errors.ts';
import type { BinSummary } from './contract.ts';

export const BIN_GEOMETRY_MAGIC = 0x4d474649; // 'IFGM' read as little-endian uint32
export const BIN_GEOMETRY_VERSION = 1;
const HEADER_BYTES = 16;
const RECORD_BYTES = 16;

/** One bin's layout input: image i is `target[i]`, `width[i]` × `height[i]` px; `columns[name][i]` its ADC value. */
export interface BinGeometry {
  bin: BinSummary;
  /** Every ADC column the bin has (the sort and filter keys it offers), by pyifcb name. */
  adcColumns: string[];
  target: Uint32Array;
  width: Uint32Array;
  height: Uint32Array;
  columns: Record<string, Float64Array>;
}

export interface BinGeometryError {
  binId: string;
  error: ErrorInfo;
}

export type BinGeometryEntry = BinGeometry | BinGeometryError;

export function isGeometryError(entry: BinGeometryEntry): entry is BinGeometryError {
  return 'error' in entry;
}

/** The JSON part of a bin's block. */
type GeometryHead = { bin: BinSummary; adcColumns: string[]; columns: string[] } | BinGeometryError;

const pad8 = (n: number): number => (n + 7) & ~7;

/** Bytes of one bin's block (used by main to bound a response before building it). */
export function binGeometryBlockSize(jsonBytes: number, count: number, columnCount: number): number {
  return RECORD_BYTES + pad8(jsonBytes) + pad8(12 * count) + 8 * count * columnCount;
}

/** Encode the entries in order. */
export function encodeBinGeometry(entries: readonly BinGeometryEntry[]): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const parts = entries.map((entry) => {
    const head: GeometryHead = isGeometryError(entry) ? entry : { bin: entry.bin, adcColumns: entry.adcColumns, columns: Object.keys(entry.columns) };
    const json = encoder.encode(JSON.stringify(head));
    const count = isGeometryError(entry) ? 0 : entry.target.length;
    const columns = isGeometryError(entry) ? [] : Object.values(entry.columns);
    return { entry, json, count, columns };
  });
  let total = HEADER_BYTES;
  for (const p of parts) total += binGeometryBlockSize(p.json.byteLength, p.count, p.columns.length);
  if (total > 0xffff_ffff) throw new IfcbError('INVALID_ARGUMENT', 'Too much geometry for one request.', { bytes: total });
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, BIN_GEOMETRY_MAGIC, true);
  view.setUint32(4, BIN_GEOMETRY_VERSION, true);
  view.setUint32(8, parts.length, true);
  let at = HEADER_BYTES;
  for (const { entry, json, count, columns } of parts) {
    view.setUint32(at, json.byteLength, true);
    view.setUint32(at + 4, count, true);
    view.setUint32(at + 8, columns.length, true);
    at += RECORD_BYTES;
    bytes.set(json, at);
    at += pad8(json.byteLength);
    if (!isGeometryError(entry)) {
      for (const [k, array] of [entry.target, entry.width, entry.height].entries()) {
        if (array.length !== count) throw new IfcbError('INTERNAL', `Geometry of ${entry.bin.id}: array ${k} has ${array.length} values, expected ${count}.`);
        new Uint32Array(bytes.buffer, at + 4 * count * k, count).set(array);
      }
      at += pad8(12 * count);
      for (const column of columns) {
        if (column.length !== count) throw new IfcbError('INTERNAL', `Geometry of ${entry.bin.id}: a column has ${column.length} values, expected ${count}.`);
        new Float64Array(bytes.buffer, at, count).set(column);
        at += 8 * count;
      }
    }
  }
  return bytes;
}

function corrupt(why: string): IfcbError {
  return new IfcbError('INTERNAL', `Malformed geometry payload: ${why}.`);
}

/** Decode a payload (validates every bound; the arrays are copies, aligned whatever the input's offset). */
export function decodeBinGeometry(bytes: Uint8Array): BinGeometryEntry[] {
  if (bytes.byteLength < HEADER_BYTES) throw corrupt('shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== BIN_GEOMETRY_MAGIC) throw corrupt('bad magic');
  if (view.getUint32(4, true) !== BIN_GEOMETRY_VERSION) throw corrupt(`unsupported version ${view.getUint32(4, true)}`);
  const binCount = view.getUint32(8, true);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: BinGeometryEntry[] = [];
  let at = HEADER_BYTES;
  const take = (n: number): Uint8Array => {
    if (at + n > bytes.byteLength) throw corrupt('a block runs past the end');
    const part = bytes.subarray(at, at + n);
    at += n;
    return part;
  };
  for (let b = 0; b < binCount; b++) {
    const record = take(RECORD_BYTES);
    const rv = new DataView(record.buffer, record.byteOffset, RECORD_BYTES);
    const jsonBytes = rv.getUint32(0, true);
    const count = rv.getUint32(4, true);
    const columnCount = rv.getUint32(8, true);
    let head: GeometryHead;
    try {
      head = JSON.parse(decoder.decode(take(pad8(jsonBytes)).subarray(0, jsonBytes))) as GeometryHead;
    } catch {
      throw corrupt(`bin ${b} has no readable JSON`);
    }
    if ('error' in head) {
      if (count !== 0 || columnCount !== 0) throw corrupt(`bin ${b} is an error with images`);
      out.push({ binId: head.binId, error: { code: head.error.code, message: head.error.message } });
      continue;
    }
    if (head.columns.length !== columnCount) throw corrupt(`bin ${b} names ${head.columns.length} columns, has ${columnCount}`);
    // slice() copies into a fresh, aligned buffer (the payload may sit at any offset)
    const geometry = take(pad8(12 * count)).slice(0, 12 * count);
    const columns = Object.create(null) as Record<string, Float64Array>;
    for (const name of head.columns) columns[name] = new Float64Array(take(8 * count).slice().buffer);
    out.push({
      bin: head.bin,
      adcColumns: head.adcColumns,
      target: new Uint32Array(geometry.buffer, 0, count),
      width: new Uint32Array(geometry.buffer, 4 * count, count),
      height: new Uint32Array(geometry.buffer, 8 * count, count),
      columns,
    });
  }
  if (at !== bytes.byteLength) throw corrupt('bytes after the last bin');
  return out;
}
