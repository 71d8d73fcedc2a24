/**
 * Members of pyifcb's `bin.to_zip` layout (spec §9): `metadata.json`, `<lid>_headers.json` and
 * `<lid>.csv`, written the way Python's `json.dumps` and pandas' `to_csv(header=None, index=None)` write
 * them, so files from the viewer and from pyifcb can be read by the same tools.
 */
import { readBinFile } from '../ifcb/index.ts';
import type { Headers, Schema } from '../ifcb/index.ts';
import { pythonFloatRepr, pythonIsoUtc, pythonJsonDumps } from './format.ts';

/** `metadata.json`: `{"lid": …, "schema": 1|2, "timestamp": "…+00:00"}`. */
export function pyifcbMetadataJson(id: string, schema: Schema, epochMs: number): string {
  return pythonJsonDumps({ lid: id, schema, timestamp: pythonIsoUtc(epochMs) });
}

/** `<lid>_headers.json`: `json.dumps(bin.headers)` (integral numbers are written as ints: see docs/export-format.md). */
export function pyifcbHeadersJson(headers: Headers): string {
  return pythonJsonDumps(headers);
}

const INT_TOKEN = /^[+-]?\d+$/;

/**
 * `<lid>.csv` from the raw `.adc` text, as pandas re-writes it: a column whose every token is an
 * integer literal is int64 (written as an int), any other column float64 (written with Python's
 * float repr, `-999.0`, `0.08984375`); empty cells are NaN → empty. Schema 1's trailing empty column is
 * dropped. Lines end with `\n`.
 */
export function pandasAdcCsv(adcText: string, schema: Schema): string {
  const rows = adcText
    .split(/\r\n|\n|\r/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(','));
  if (rows.length === 0) return '';
  let width = Math.max(...rows.map((r) => r.length));
  // schema 1 rows end with ',': pandas reads an all-empty last column and pyifcb drops it
  if (schema === 1 && rows.every((r) => r.length < width || (r[width - 1] ?? '').trim() === '')) width--;
  const isInt: boolean[] = [];
  for (let c = 0; c < width; c++) isInt.push(rows.every((r) => INT_TOKEN.test((r[c] ?? '').trim())));
  let out = '';
  for (const r of rows) {
    const cells: string[] = [];
    for (let c = 0; c < width; c++) {
      const token = (r[c] ?? '').trim();
      if (token === '') cells.push('');
      else if (isInt[c]) cells.push(String(BigInt(token)));
      else {
        const v = Number(token);
        cells.push(Number.isNaN(v) ? token : pythonFloatRepr(v));
      }
    }
    out += cells.join(',') + '\n';
  }
  return out;
}

/** Read the `.adc` text read-only (the reader's table keeps numbers only; pandas' int/float split needs the tokens). */
export function readAdcText(adcPath: string, binId: string): string {
  const bytes = readBinFile(adcPath, 'adc', binId);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
