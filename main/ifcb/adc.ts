/**
 * `.adc` parsing (pyifcb `AdcFile`: pandas `read_csv(header=None)`; spec §3). One CSV row per target,
 * target number = 1-based row. Parsed straight from the bytes into one Float64Array per column, with a
 * hand-written decimal parser whose results are bit-identical to `Number(text)` / Python `float(text)`.
 */
import { IfcbError } from '../../shared/errors.ts';
import type { AdcTable, Schema } from './types.ts';

/** pyifcb `SCHEMA_VERSION_1` column names, indices 0–14. */
export const SCHEMA_1_COLUMNS: readonly string[] = Object.freeze([
  'TRIGGER',
  'PROCESSING_END_TIME',
  'FLUORESCENCE_LOW',
  'FLUORESCENCE_HIGH',
  'SCATTERING_LOW',
  'SCATTERING_HIGH',
  'COMPARATOR_PULSE',
  'TRIGGER_OPEN_TIME',
  'FRAME_GRAB_TIME',
  'ROI_X',
  'ROI_Y',
  'ROI_WIDTH',
  'ROI_HEIGHT',
  'START_BYTE',
  'VALVE_STATUS',
]);

/** pyifcb `SCHEMA_VERSION_2` column names, indices 0–23. */
export const SCHEMA_2_COLUMNS: readonly string[] = Object.freeze([
  'TRIGGER',
  'ADC_TIME',
  'PMT_A',
  'PMT_B',
  'PMT_C',
  'PMT_D',
  'PEAK_A',
  'PEAK_B',
  'PEAK_C',
  'PEAK_D',
  'TIME_OF_FLIGHT',
  'GRAB_TIME_START',
  'GRAB_TIME_END',
  'ROI_X',
  'ROI_Y',
  'ROI_WIDTH',
  'ROI_HEIGHT',
  'START_BYTE',
  'COMPARATOR_OUT',
  'START_POINT',
  'SIGNAL_LENGTH',
  'STATUS',
  'RUN_TIME',
  'INHIBIT_TIME',
]);

/** Column names of a schema (15 for schema 1, 24 for schema 2). */
export function schemaColumns(schema: Schema): readonly string[] {
  return schema === 1 ? SCHEMA_1_COLUMNS : SCHEMA_2_COLUMNS;
}

/** 0-based indices of the columns that locate a target's image (pyifcb `SCHEMA_VERSION_n`). */
export interface RoiColumns {
  trigger: number;
  x: number;
  y: number;
  width: number;
  height: number;
  startByte: number;
}

const ROI_COLUMNS: Readonly<Record<Schema, Readonly<RoiColumns>>> = Object.freeze({
  1: Object.freeze({ trigger: 0, x: 9, y: 10, width: 11, height: 12, startByte: 13 }),
  2: Object.freeze({ trigger: 0, x: 13, y: 14, width: 15, height: 16, startByte: 17 }),
});

/** The ROI columns of a schema: TRIGGER, ROI_X, ROI_Y, ROI_WIDTH, ROI_HEIGHT, START_BYTE. */
export function roiColumnIndex(schema: Schema): Readonly<RoiColumns> {
  return ROI_COLUMNS[schema];
}

/** An `.adc` beyond this is not one (a busy hour is a few MB); refuse it before allocating. */
export const ADC_MAX_BYTES = 512 * 1024 * 1024;

/** Column names and their index, per schema and table width: the same for every table (built once each). */
const namesByShape = new Map<string, { names: readonly string[]; byName: ReadonlyMap<string, number> }>();

function columnNamesOf(schema: Schema, width: number): { names: readonly string[]; byName: ReadonlyMap<string, number> } {
  const key = `${schema}:${width}`;
  let shape = namesByShape.get(key);
  if (!shape) {
    const names = Object.freeze(schemaColumns(schema).slice(0, width));
    shape = { names, byName: new Map(names.map((name, i) => [name, i])) };
    namesByShape.set(key, shape);
  }
  return shape;
}

/**
 * Columnar table; columns are shared, callers must not write into them. They are views of one
 * buffer (one allocation per file instead of one per column): copy a column before transferring it.
 */
class ColumnarAdcTable implements AdcTable {
  readonly columnNames: readonly string[];
  readonly triggers: number;
  private readonly byName: ReadonlyMap<string, number>;

  constructor(
    readonly schema: Schema,
    readonly rowCount: number,
    private readonly columns: readonly Float64Array[],
    private readonly sourcePath: string | undefined,
  ) {
    const shape = columnNamesOf(schema, columns.length);
    this.columnNames = shape.names;
    this.byName = shape.byName;
    // pyifcb n_triggers: TRIGGER of the last row.
    this.triggers = rowCount === 0 ? 0 : columns[0]![rowCount - 1]!;
  }

  column(indexOrName: number | string): Float64Array {
    const index = typeof indexOrName === 'number' ? indexOrName : this.byName.get(indexOrName);
    const col = index === undefined ? undefined : this.columns[index];
    if (col === undefined) {
      throw new IfcbError(
        'INVALID_ARGUMENT',
        `${this.where()} has no column ${JSON.stringify(indexOrName)} (it has ${this.columns.length}: ${this.columnNames.join(', ')})`,
        { path: this.sourcePath, column: indexOrName },
      );
    }
    return col;
  }

  row(target: number): number[] {
    if (!Number.isInteger(target) || target < 1 || target > this.rowCount) {
      throw new IfcbError(
        'INVALID_ARGUMENT',
        `target ${target} is not a row of ${this.where()} (targets are 1–${this.rowCount})`,
        { path: this.sourcePath, target },
      );
    }
    return this.columns.map((c) => c[target - 1]!);
  }

  private where(): string {
    return this.sourcePath ?? `the schema ${this.schema} ADC data`;
  }
}

// --- byte-level number parsing ------------------------------------------------------------------------

const COMMA = 44;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

/** Exact powers of ten: a mantissa < 2^53 times or divided by one of these is correctly rounded (Clinger). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Beyond this the next digit could push the mantissa past 2^53. */
const MANTISSA_LIMIT = 900719925474099;

// pandas' default NA strings (read_csv na_values): these cells become NaN.
const NA_STRINGS = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
/** No number is this long; longer cells are rejected before being decoded. */
const MAX_CELL_BYTES = 1024;
const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The whole buffer as a Latin-1 string (one native call; `Number(text.slice())` is then cheap per cell). */
function latin1Text(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

function latin1(data: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...data.subarray(start, end));
}

/** The slow path for one trimmed cell: long mantissas, big exponents, inf, pandas NA strings. */
function parseCellSlow(text: string): number | undefined {
  if (DECIMAL_RE.test(text)) return Number(text); // validated first: Number('') or Number('0x1') must not leak through
  if (NA_STRINGS.has(text)) return NaN;
  const inf = /^([+-]?)(?:inf|infinity)$/i.exec(text);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

function isLineEnd(c: number): boolean {
  return c === LF || c === CR;
}

/**
 * Cells are parsed row by row into one reused scratch array (row-major), then copied into the
 * table's columns: a small bin's 24 columns otherwise cost 48 typed-array allocations (grow + trim),
 * more than parsing its bytes. A scratch grown past this many cells is not kept (a huge file's).
 */
const SCRATCH_KEPT_CELLS = 1 << 17;
let keptScratch = new Float64Array(1024);

/** `width` columns of `rows` values from row-major `cells` (`stride` per row), all views of one buffer. */
function columnsOf(cells: Float64Array, stride: number, rows: number, width: number): Float64Array[] {
  const buffer = new ArrayBuffer(rows * width * Float64Array.BYTES_PER_ELEMENT);
  const columns: Float64Array[] = [];
  for (let k = 0; k < width; k++) {
    const column = new Float64Array(buffer, k * rows * Float64Array.BYTES_PER_ELEMENT, rows);
    for (let r = 0, i = k; r < rows; r++, i += stride) column[r] = cells[i]!;
    columns.push(column);
  }
  return columns;
}

/**
 * Parse an `.adc` file's bytes (pyifcb `AdcFile.csv`). The schema comes from the bin id, never from the
 * column count. Schema 1's trailing comma is dropped (15 columns), schema 2 has 24. Blank lines are skipped
 * (pandas `skip_blank_lines`). Throws `ADC_MALFORMED_ROW` naming the file and 1-based line for a cell that
 * is not a number, a row too short to locate its image, or a row longer than the schema; `ADC_TOO_LARGE`
 * beyond `ADC_MAX_BYTES`. A row shorter than the widest one (but with all ROI columns) is NaN-padded, as
 * pandas does; empty cells outside the ROI columns are NaN.
 */
export function parseAdc(data: Uint8Array, schema: Schema, sourcePath?: string): AdcTable {
  const where = sourcePath ?? 'ADC data';
  if (data.length > ADC_MAX_BYTES) {
    throw new IfcbError(
      'ADC_TOO_LARGE',
      `${where} is ${data.length} bytes, beyond the reader's limit of ${ADC_MAX_BYTES} bytes for an .adc file; check that it is an IFCB .adc`,
      { path: sourcePath, bytes: data.length, limit: ADC_MAX_BYTES },
    );
  }
  const expected = schemaColumns(schema).length;
  const roi = ROI_COLUMNS[schema];
  const minColumns = roi.startByte + 1;
  // A cell in these columns must be a number: they give the target's trigger and image.
  const required = new Uint8Array(expected);
  for (const c of [roi.trigger, roi.x, roi.y, roi.width, roi.height, roi.startByte]) required[c] = 1;

  const malformed = (line: number, why: string): IfcbError =>
    new IfcbError(
      'ADC_MALFORMED_ROW',
      `${where}, line ${line}: ${why}. The .adc file is damaged or not a schema ${schema} ADC file; restore it from the instrument or your archive`,
      { path: sourcePath, line },
    );

  // Row-major cells, `expected` per row; grown geometrically (a schema-2 row is ~100–200 bytes, schema 1 ~130).
  const estimate = expected * Math.max(16, Math.ceil(data.length / 96));
  let cells = keptScratch.length >= estimate ? keptScratch : new Float64Array(estimate);
  let rows = 0;
  let widest = 0;
  let text: string | undefined; // the whole file as Latin-1, decoded on the first long cell
  let line = 0;
  const n = data.length;
  // pandas skips a UTF-8 byte-order mark at the start of the file.
  let p = n >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;

  while (p < n) {
    line++;
    // Blank or whitespace-only line: skipped, but it still counts for line numbers.
    let q = p;
    while (q < n && (data[q] === SPACE || data[q] === TAB)) q++;
    if (q >= n || isLineEnd(data[q]!)) {
      p = q < n && data[q] === CR && data[q + 1] === LF ? q + 2 : q + 1;
      continue;
    }
    if ((rows + 1) * expected > cells.length) {
      const grown = new Float64Array(cells.length * 2);
      grown.set(cells.subarray(0, rows * expected));
      cells = grown;
    }
    const rowStart = rows * expected;
    let col = 0;
    // One iteration per cell; p ends on the line terminator (or n).
    for (;;) {
      while (p < n && (data[p] === SPACE || data[p] === TAB)) p++;
      const cellStart = p;
      let negative = false;
      let c = data[p];
      if (c === MINUS || c === PLUS) {
        negative = c === MINUS;
        c = data[++p];
      }
      let mantissa = 0;
      let scale = 0;
      let digits = 0;
      let slow = false;
      while (c !== undefined && c >= ZERO && c <= NINE) {
        if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + (c - ZERO);
        else slow = true;
        digits++;
        c = data[++p];
      }
      if (c === DOT) {
        c = data[++p];
        while (c !== undefined && c >= ZERO && c <= NINE) {
          if (mantissa < MANTISSA_LIMIT) {
            mantissa = mantissa * 10 + (c - ZERO);
            scale--;
          } else {
            slow = true;
          }
          digits++;
          c = data[++p];
        }
      }
      let valid = digits > 0;
      if (valid && (c === LOWER_E || c === UPPER_E)) {
        c = data[++p];
        let expNegative = false;
        if (c === MINUS || c === PLUS) {
          expNegative = c === MINUS;
          c = data[++p];
        }
        let exponent = 0;
        let expDigits = 0;
        while (c !== undefined && c >= ZERO && c <= NINE) {
          if (exponent < 100000) exponent = exponent * 10 + (c - ZERO);
          expDigits++;
          c = data[++p];
        }
        if (expDigits === 0) valid = false;
        scale += expNegative ? -exponent : exponent;
      }
      const cellEnd = p;
      // Anything else up to the delimiter makes the cell non-numeric (or a word like nan/inf).
      while (p < n && data[p] !== COMMA && !isLineEnd(data[p]!)) {
        if (data[p] !== SPACE && data[p] !== TAB) valid = false;
        p++;
      }
      let value: number;
      if (valid && !slow && scale >= -22 && scale <= 22) {
        if (mantissa === 0) value = 0;
        else value = scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
        if (negative) value = -value;
      } else if (valid) {
        // Grammar already checked by the scan: V8's correctly rounded Number() on the same characters.
        if (cellEnd - cellStart > MAX_CELL_BYTES) throw malformed(line, `column ${col + 1} is ${cellEnd - cellStart} bytes long, not a number`);
        text ??= latin1Text(data);
        value = Number(text.slice(cellStart, cellEnd));
      } else {
        let end = p;
        while (end > cellStart && (data[end - 1] === SPACE || data[end - 1] === TAB)) end--;
        if (end - cellStart > MAX_CELL_BYTES) throw malformed(line, `column ${col + 1} is ${end - cellStart} bytes long, not a number`);
        const cell = latin1(data, cellStart, end);
        const atLineEnd = p >= n || isLineEnd(data[p]!);
        if (cell === '' && atLineEnd && col === expected) {
          break; // schema 1's trailing comma: an empty last cell beyond the schema is dropped
        }
        const parsed = parseCellSlow(cell);
        if (parsed === undefined) throw malformed(line, `column ${col + 1} (${JSON.stringify(cell.slice(0, 40))}) is not a number`);
        if (Number.isNaN(parsed) && col < expected && required[col] === 1) {
          throw malformed(line, `column ${col + 1} (${schemaColumns(schema)[col]}) is empty or not a number`);
        }
        value = parsed;
      }
      if (col >= expected) throw malformed(line, `more than the ${expected} columns of a schema ${schema} row`);
      cells[rowStart + col] = value;
      col++;
      if (p >= n || data[p] !== COMMA) break;
      p++; // past the comma
    }
    if (col < minColumns) {
      throw malformed(line, `only ${col} columns; a schema ${schema} row needs at least ${minColumns} (through START_BYTE)`);
    }
    for (let k = col; k < expected; k++) cells[rowStart + k] = NaN;
    if (col > widest) widest = col;
    rows++;
    // Past the line terminator: LF, CR LF or a lone CR (pandas accepts all three).
    if (p < n) p = data[p] === CR && data[p + 1] === LF ? p + 2 : p + 1;
  }

  // The table has as many columns as its widest row (pandas); an empty file has the schema's columns.
  const width = rows === 0 ? expected : widest;
  if (cells.length <= SCRATCH_KEPT_CELLS) keptScratch = cells;
  return new ColumnarAdcTable(schema, rows, columnsOf(cells, expected, rows, width), sourcePath);
}
