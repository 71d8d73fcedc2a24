/**
 * MATLAB Level 5 MAT-file writer for what label export needs: double matrices (NaN allowed), char rows and
 * cells of char rows. Each variable is its own zlib-compressed miMATRIX, as MATLAB writes them; chars are
 * miUTF8 when ASCII, miUTF16 otherwise (MATLAB's char holds UTF-16 code units). Read back by `readMat5`
 * and by scipy's `loadmat` (checked in test/node/products/mat5.test.ts).
 */
import { deflateSync } from 'node:zlib';
import { MI, MX } from './mat5.ts';

export type MatWritable =
  | { kind: 'double'; rows: number; cols: number; /** Column-major, rows×cols values. */ data: ArrayLike<number> }
  | { kind: 'char'; text: string }
  | { kind: 'cell'; /** Layout of the cell: a 1×N row (manual_classify class lists) or an N×1 column. */ shape: 'row' | 'column'; items: string[] };

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** One data element: tag + data + padding to 8 bytes. */
function element(type: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + pad8(data.length));
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function int32s(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setInt32(i * 4, x, true));
  return out;
}

function matrix(mxClass: number, dims: number[], name: string, body: Uint8Array[]): Uint8Array {
  const flags = new Uint8Array(8);
  new DataView(flags.buffer).setUint32(0, mxClass, true);
  return element(MI.MATRIX, concat([element(MI.UINT32, flags), element(MI.INT32, int32s(dims)), element(MI.INT8, new TextEncoder().encode(name)), ...body]));
}

function charMatrix(text: string, name: string): Uint8Array {
  const units = text.length;
  const ascii = /^[\x00-\x7f]*$/.test(text);
  let data: Uint8Array;
  if (ascii) {
    data = new TextEncoder().encode(text);
  } else {
    data = new Uint8Array(units * 2);
    const v = new DataView(data.buffer);
    for (let i = 0; i < units; i++) v.setUint16(i * 2, text.charCodeAt(i), true);
  }
  return matrix(MX.CHAR, [units === 0 ? 0 : 1, units], name, [element(ascii ? MI.UTF8 : MI.UTF16, data)]);
}

function variable(name: string, value: MatWritable): Uint8Array {
  switch (value.kind) {
    case 'double': {
      const data = new Uint8Array(value.rows * value.cols * 8);
      const v = new DataView(data.buffer);
      for (let i = 0; i < value.rows * value.cols; i++) v.setFloat64(i * 8, value.data[i] ?? Number.NaN, true);
      return matrix(MX.DOUBLE, [value.rows, value.cols], name, [element(MI.DOUBLE, data)]);
    }
    case 'char':
      return charMatrix(value.text, name);
    case 'cell': {
      const n = value.items.length;
      return matrix(MX.CELL, value.shape === 'row' ? [1, n] : [n, 1], name, value.items.map((s) => charMatrix(s, '')));
    }
  }
}

/** The 128-byte header: descriptive text, no subsystem data, version 0x0100, little-endian mark. */
function header(description: string): Uint8Array {
  const out = new Uint8Array(128).fill(0x20);
  out.set(new TextEncoder().encode(description.slice(0, 116)));
  out.fill(0, 116, 124);
  const v = new DataView(out.buffer);
  v.setUint16(124, 0x0100, true);
  out[126] = 'I'.charCodeAt(0);
  out[127] = 'M'.charCodeAt(0);
  return out;
}

/** A whole MAT v5 file with the variables in the given order. */
export function writeMat5(variables: ReadonlyArray<[string, MatWritable]>, now: Date = new Date()): Uint8Array {
  const parts = [header(`MATLAB 5.0 MAT-file, Platform: ifcb-viewer, Created on: ${now.toUTCString()}`)];
  for (const [name, value] of variables) {
    const compressed = deflateSync(variable(name, value));
    const tag = new Uint8Array(8);
    const v = new DataView(tag.buffer);
    v.setUint32(0, MI.COMPRESSED, true);
    v.setUint32(4, compressed.length, true);
    parts.push(tag, compressed);
  }
  return concat(parts);
}
