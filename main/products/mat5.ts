/**
 * MATLAB Level 5 MAT-file reader (the format of every per-bin `_class_v1.mat` and manual_classify `.mat`).
 * Our own (~300 lines) because the only npm reader is GPL-3.0 and mis-decodes UTF-16 char data.
 *
 * Layout: a 128-byte header (text, subsystem offset, version 0x0100, endian mark `IM`/`MI`), then data
 * elements: an 8-byte tag (type, byte count) or a 4-byte "small element" tag with the data packed beside it;
 * elements are padded to 8 bytes, except inside/after miCOMPRESSED (zlib over one whole miMATRIX).
 * A miMATRIX holds array flags (class, complex/logical bits), dims (int32), a name, then the class's data.
 * Numeric data may be stored in a narrower type than its class (MATLAB stores a double roinum as miUINT8/16);
 * every numeric value is returned as a Float64Array, column-major as on disk.
 *
 * Every structural failure becomes PRODUCT_MALFORMED, a variant we do not read PRODUCT_UNSUPPORTED, a
 * dimension beyond our limits PRODUCT_TOO_LARGE; nothing else escapes.
 */
import { inflateSync } from 'node:zlib';
import { IfcbError, isIfcbError } from '../../shared/errors.ts';

/** MATLAB array classes (mxCLASS ids). */
export const MX = {
  CELL: 1,
  STRUCT: 2,
  OBJECT: 3,
  CHAR: 4,
  SPARSE: 5,
  DOUBLE: 6,
  SINGLE: 7,
  INT8: 8,
  UINT8: 9,
  INT16: 10,
  UINT16: 11,
  INT32: 12,
  UINT32: 13,
  INT64: 14,
  UINT64: 15,
} as const;

/** Data element types (miTYPE ids). */
export const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;

export type MatValue =
  | { kind: 'numeric'; mxClass: number; dims: number[]; logical: boolean; real: Float64Array; imag?: Float64Array }
  | { kind: 'char'; dims: number[]; /** One string per row of the char matrix (a 1×L array gives one). */ rows: string[] }
  | { kind: 'cell'; dims: number[]; /** Column-major. */ items: MatValue[] }
  | { kind: 'struct'; dims: number[]; fieldNames: string[]; /** Column-major, one record per element. */ items: Record<string, MatValue>[] }
  | { kind: 'unsupported'; mxClass: number; dims: number[] };

export interface MatFile {
  /** The 116-byte descriptive text (e.g. `MATLAB 5.0 MAT-file, Platform: PCWIN64, Created on: …`). */
  description: string;
  variables: Map<string, MatValue>;
}

/** Most elements one array may claim (2^28 doubles = 2 GiB): beyond is a damaged or hostile file. */
export const MAX_ELEMENTS = 2 ** 28;
/** Largest decompressed miCOMPRESSED element. */
export const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;
const MAX_DEPTH = 32;
const HEADER_BYTES = 128;

const NUMERIC_CLASSES: ReadonlySet<number> = new Set([MX.DOUBLE, MX.SINGLE, MX.INT8, MX.UINT8, MX.INT16, MX.UINT16, MX.INT32, MX.UINT32, MX.INT64, MX.UINT64]);

const ELEMENT_BYTES: Record<number, number> = {
  [MI.INT8]: 1,
  [MI.UINT8]: 1,
  [MI.INT16]: 2,
  [MI.UINT16]: 2,
  [MI.INT32]: 4,
  [MI.UINT32]: 4,
  [MI.SINGLE]: 4,
  [MI.DOUBLE]: 8,
  [MI.INT64]: 8,
  [MI.UINT64]: 8,
  [MI.UTF8]: 1,
  [MI.UTF16]: 2,
  [MI.UTF32]: 4,
};

function malformed(file: string, message: string, details: Record<string, unknown> = {}): IfcbError {
  return new IfcbError('PRODUCT_MALFORMED', `${file}: not a readable MAT-file (${message}).`, { path: file, ...details });
}

interface Element {
  type: number;
  /** The element's data bytes. */
  data: Uint8Array;
  /** Offset of the next element in the enclosing buffer. */
  next: number;
}

/** A cursor over one buffer of data elements with the file's byte order. */
class Reader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  element(at: number): Element {
    if (at + 8 > this.bytes.length) throw malformed(this.file, 'truncated element tag', { offset: at });
    const first = this.view.getUint32(at, this.le);
    if (first >>> 16 !== 0) {
      // small data element: size in the upper half, type in the lower, data in the following 4 bytes
      const size = first >>> 16;
      if (size > 4) throw malformed(this.file, 'small element larger than 4 bytes', { offset: at });
      return { type: first & 0xffff, data: this.bytes.subarray(at + 4, at + 4 + size), next: at + 8 };
    }
    const size = this.view.getUint32(at + 4, this.le);
    const end = at + 8 + size;
    if (end > this.bytes.length) throw malformed(this.file, 'element runs past the end of the data', { offset: at, size });
    // miCOMPRESSED elements are not padded; everything else is padded to 8 bytes
    const next = first === MI.COMPRESSED ? end : Math.min(this.bytes.length, at + 8 + Math.ceil(size / 8) * 8);
    return { type: first, data: this.bytes.subarray(at + 8, end), next };
  }
}

function numbers(r: Reader, el: Element, count: number): Float64Array {
  const width = ELEMENT_BYTES[el.type];
  if (width === undefined || el.type === MI.UTF8 || el.type === MI.UTF16 || el.type === MI.UTF32) {
    throw malformed(r.file, `numeric data stored as element type ${el.type}`);
  }
  if (el.data.length !== count * width) throw malformed(r.file, `expected ${count} values, found ${el.data.length} bytes of type ${el.type}`);
  const v = new DataView(el.data.buffer, el.data.byteOffset, el.data.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * width;
    switch (el.type) {
      case MI.INT8: out[i] = v.getInt8(o); break;
      case MI.UINT8: out[i] = v.getUint8(o); break;
      case MI.INT16: out[i] = v.getInt16(o, r.le); break;
      case MI.UINT16: out[i] = v.getUint16(o, r.le); break;
      case MI.INT32: out[i] = v.getInt32(o, r.le); break;
      case MI.UINT32: out[i] = v.getUint32(o, r.le); break;
      case MI.SINGLE: out[i] = v.getFloat32(o, r.le); break;
      case MI.DOUBLE: out[i] = v.getFloat64(o, r.le); break;
      case MI.INT64: out[i] = Number(v.getBigInt64(o, r.le)); break;
      default: out[i] = Number(v.getBigUint64(o, r.le)); break;
    }
  }
  return out;
}

/** Char data as UTF-16 code units (what MATLAB's char holds), column-major. */
function charUnits(r: Reader, el: Element, count: number): string[] {
  let text: string;
  if (el.type === MI.UTF8) text = new TextDecoder('utf-8', { fatal: false }).decode(el.data);
  else if (el.type === MI.UTF16) text = new TextDecoder(r.le ? 'utf-16le' : 'utf-16be').decode(el.data);
  else if (el.type === MI.UINT16) text = String.fromCharCode(...numbers(r, el, el.data.length / 2));
  else if (el.type === MI.UINT8 || el.type === MI.INT8) text = String.fromCharCode(...numbers(r, el, el.data.length));
  else if (el.type === MI.UTF32 || el.type === MI.INT32 || el.type === MI.UINT32) text = String.fromCodePoint(...numbers(r, el, el.data.length / 4));
  else throw malformed(r.file, `char data stored as element type ${el.type}`);
  // MATLAB counts UTF-16 code units, which is what split('') yields
  const units = text.split('');
  if (units.length !== count) throw malformed(r.file, `char array of ${count} characters holds ${units.length}`);
  return units;
}

function elementCount(file: string, dims: number[]): number {
  let n = 1;
  for (const d of dims) {
    if (d < 0) throw malformed(file, 'negative dimension', { dims });
    n *= d;
  }
  if (n > MAX_ELEMENTS) throw new IfcbError('PRODUCT_TOO_LARGE', `${file}: an array of ${dims.join('×')} elements is beyond what we read.`, { path: file, dims });
  return n;
}

function parseMatrix(r: Reader, data: Uint8Array, depth: number): { name: string; value: MatValue } {
  if (depth > MAX_DEPTH) throw malformed(r.file, 'arrays nested too deeply');
  if (data.length === 0) return { name: '', value: { kind: 'numeric', mxClass: MX.DOUBLE, dims: [0, 0], logical: false, real: new Float64Array(0) } };
  const sub = new Reader(data, r.le, r.file);
  const flagsEl = sub.element(0);
  if (flagsEl.data.length < 8) throw malformed(r.file, 'array flags too short');
  const flagsWord = new DataView(flagsEl.data.buffer, flagsEl.data.byteOffset, 8).getUint32(0, r.le);
  const mxClass = flagsWord & 0xff;
  const complex = (flagsWord & 0x800) !== 0;
  const logical = (flagsWord & 0x200) !== 0;
  const dimsEl = sub.element(flagsEl.next);
  if (dimsEl.type !== MI.INT32 || dimsEl.data.length < 8 || dimsEl.data.length % 4 !== 0) throw malformed(r.file, 'bad dimensions element');
  const dims = Array.from(numbers(sub, dimsEl, dimsEl.data.length / 4));
  const count = elementCount(r.file, dims);
  const nameEl = sub.element(dimsEl.next);
  const name = new TextDecoder('latin1').decode(nameEl.data);
  let at = nameEl.next;

  if (NUMERIC_CLASSES.has(mxClass)) {
    const realEl = sub.element(at);
    const real = numbers(sub, realEl, count);
    if (!complex) return { name, value: { kind: 'numeric', mxClass, dims, logical, real } };
    const imag = numbers(sub, sub.element(realEl.next), count);
    return { name, value: { kind: 'numeric', mxClass, dims, logical, real, imag } };
  }
  if (mxClass === MX.CHAR) {
    const units = count === 0 ? [] : charUnits(sub, sub.element(at), count);
    const nRows = dims.length === 2 ? dims[0]! : 1;
    const nCols = nRows === 0 ? 0 : count / nRows;
    const rows: string[] = [];
    for (let i = 0; i < nRows; i++) {
      let s = '';
      for (let j = 0; j < nCols; j++) s += units[j * nRows + i]!;
      rows.push(s);
    }
    return { name, value: { kind: 'char', dims, rows } };
  }
  if (mxClass === MX.CELL) {
    const items: MatValue[] = [];
    for (let i = 0; i < count; i++) {
      const el = sub.element(at);
      if (el.type !== MI.MATRIX) throw malformed(r.file, 'cell element is not a matrix');
      items.push(parseMatrix(sub, el.data, depth + 1).value);
      at = el.next;
    }
    return { name, value: { kind: 'cell', dims, items } };
  }
  if (mxClass === MX.STRUCT) {
    const lenEl = sub.element(at);
    const fieldLength = numbers(sub, lenEl, 1)[0]!;
    const namesEl = sub.element(lenEl.next);
    if (fieldLength <= 0 || namesEl.data.length % fieldLength !== 0) throw malformed(r.file, 'bad struct field names');
    const fieldNames: string[] = [];
    for (let o = 0; o < namesEl.data.length; o += fieldLength) {
      const raw = namesEl.data.subarray(o, o + fieldLength);
      const end = raw.indexOf(0);
      fieldNames.push(new TextDecoder('latin1').decode(end < 0 ? raw : raw.subarray(0, end)));
    }
    at = namesEl.next;
    const items: Record<string, MatValue>[] = [];
    for (let i = 0; i < count; i++) {
      const record: Record<string, MatValue> = {};
      for (const field of fieldNames) {
        const el = sub.element(at);
        if (el.type !== MI.MATRIX) throw malformed(r.file, 'struct field is not a matrix');
        record[field] = parseMatrix(sub, el.data, depth + 1).value;
        at = el.next;
      }
      items.push(record);
    }
    return { name, value: { kind: 'struct', dims, fieldNames, items } };
  }
  // objects, sparse, function handles, opaque (string/table objects): reported per variable, not fatal
  return { name, value: { kind: 'unsupported', mxClass, dims } };
}

function inflate(r: Reader, data: Uint8Array): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IfcbError('PRODUCT_TOO_LARGE', `${r.file}: a compressed variable inflates beyond ${MAX_INFLATED_BYTES} bytes.`, { path: r.file });
    }
    throw malformed(r.file, `compressed variable cannot be inflated: ${(e as Error).message}`);
  }
}

/** True when the bytes start like a MAT v5 file (either byte order). */
export function looksLikeMat5(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_BYTES) return false;
  const mark = String.fromCharCode(bytes[126]!, bytes[127]!);
  return (mark === 'IM' || mark === 'MI') && new TextDecoder('latin1').decode(bytes.subarray(0, 6)) === 'MATLAB';
}

/** Parse a whole MAT v5 file. `file` names it in errors. */
export function readMat5(bytes: Uint8Array, file: string): MatFile {
  try {
    if (bytes.length < HEADER_BYTES) throw malformed(file, `${bytes.length} bytes, shorter than the 128-byte header`);
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
    const mark = String.fromCharCode(bytes[126]!, bytes[127]!);
    if (mark !== 'IM' && mark !== 'MI') throw malformed(file, 'no MAT v5 endian mark');
    const le = mark === 'IM';
    const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, le);
    if (version === 0x0200) throw new IfcbError('PRODUCT_UNSUPPORTED', `${file} is a MAT v7.3 (HDF5) file; save it with -v7 to read it here.`, { path: file });
    if (version !== 0x0100) throw malformed(file, `unknown version 0x${version.toString(16)}`);
    const r = new Reader(bytes, le, file);
    const variables = new Map<string, MatValue>();
    let at = HEADER_BYTES;
    while (at < bytes.length) {
      const el = r.element(at);
      at = el.next;
      let matrix: Uint8Array;
      if (el.type === MI.COMPRESSED) {
        const inflated = new Reader(inflate(r, el.data), le, file);
        const inner = inflated.element(0);
        if (inner.type !== MI.MATRIX) throw malformed(file, 'compressed element does not hold a matrix');
        matrix = inner.data;
      } else if (el.type === MI.MATRIX) {
        matrix = el.data;
      } else {
        throw malformed(file, `top-level element of type ${el.type}`);
      }
      const { name, value } = parseMatrix(r, matrix, 0);
      variables.set(name, value);
    }
    return { description: head.replace(/[\s\0]+$/, ''), variables };
  } catch (e) {
    if (isIfcbError(e)) throw e;
    // a RangeError from a DataView read past a short buffer is a truncation like any other
    throw malformed(file, e instanceof Error ? e.message : String(e));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Typed access to variables (what the product readers use)

export function requireVariable(mat: MatFile, name: string, file: string): MatValue {
  const v = mat.variables.get(name);
  if (v === undefined) throw new IfcbError('PRODUCT_MALFORMED', `${file} has no variable "${name}".`, { path: file, variable: name });
  return v;
}

/** A numeric variable (any class; logical too). */
export function numericOf(v: MatValue, name: string, file: string): Extract<MatValue, { kind: 'numeric' }> {
  if (v.kind !== 'numeric') throw new IfcbError('PRODUCT_MALFORMED', `${file}: "${name}" is a ${v.kind}, not numbers.`, { path: file, variable: name });
  return v;
}

/** A cell of strings (each item a 1×L char row, or empty) → the strings in column-major order. */
export function stringsOf(v: MatValue, name: string, file: string): string[] {
  if (v.kind === 'char') return v.rows;
  // MATLAB writes [] for an empty list
  if (v.kind === 'numeric' && v.real.length === 0) return [];
  if (v.kind !== 'cell') throw new IfcbError('PRODUCT_MALFORMED', `${file}: "${name}" is a ${v.kind}, not a list of names.`, { path: file, variable: name });
  return v.items.map((item, i) => {
    if (item.kind === 'char') return item.rows.join('');
    if (item.kind === 'numeric' && item.real.length === 0) return '';
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: item ${i + 1} of "${name}" is a ${item.kind}, not a name.`, { path: file, variable: name, index: i + 1 });
  });
}

/** A single string: a 1×L char, or a 1×1 cell holding one. */
export function stringOf(v: MatValue, name: string, file: string): string {
  const all = stringsOf(v, name, file);
  return v.kind === 'char' ? all.join('') : (all[0] ?? '');
}
