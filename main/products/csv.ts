/**
 * A small CSV reader for product tables: comma-separated, optional double quotes with "" escapes, LF or CRLF
 * (the MATLAB features file mixes both), a trailing empty line ignored. Whole-file, strings only.
 */
import { IfcbError } from '../../shared/errors.ts';

/** Most rows a product table may have (a bin has far fewer ROIs). */
export const MAX_CSV_ROWS = 2_000_000;

export function parseCsv(text: string, file: string, separator = ','): string[][] {
  // most product tables have no quotes at all: split lines and fields directly (10× faster on a 3 MB features file)
  if (!text.includes('"')) {
    const rows: string[][] = [];
    for (const line of text.split('\n')) {
      const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (clean === '') continue;
      rows.push(clean.split(separator).map((f) => (f.endsWith('\r') ? f.slice(0, -1) : f)));
      if (rows.length > MAX_CSV_ROWS) throw new IfcbError('PRODUCT_TOO_LARGE', `${file} has more than ${MAX_CSV_ROWS} rows.`, { path: file });
    }
    return rows;
  }
  return parseQuoted(text, file, separator);
}

/** The general case: double-quoted fields with "" escapes and separators or line breaks inside quotes. */
function parseQuoted(text: string, file: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRow = (): void => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    if (rows.length > MAX_CSV_ROWS) throw new IfcbError('PRODUCT_TOO_LARGE', `${file} has more than ${MAX_CSV_ROWS} rows.`, { path: file });
    row = [];
  };
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n') endRow();
    else if (c !== '\r') field += c;
    i++;
  }
  if (quoted) throw new IfcbError('PRODUCT_MALFORMED', `${file}: a quoted field is not closed.`, { path: file });
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** A finite or NaN number from a CSV field (`NaN`, `nan`, empty → NaN); anything else is malformed. */
export function csvNumber(text: string, file: string, line: number, column: string): number {
  const fast = Number(text);
  // Number('') and Number('  ') are 0, not missing: only a non-blank text takes the fast path
  if (!Number.isNaN(fast) && (fast !== 0 || text.trim() !== '')) return fast;
  const t = text.trim();
  if (t === '' || /^nan$/i.test(t) || t === 'NA') return Number.NaN;
  const v = Number(t);
  if (Number.isNaN(v)) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file} line ${line}: "${t.slice(0, 40)}" in column ${column} is not a number.`, { path: file, line, column });
  }
  return v;
}

/** Check that every row has the header's width. */
export function requireWidth(rows: string[][], width: number, file: string): void {
  rows.forEach((r, i) => {
    if (r.length !== width) {
      throw new IfcbError('PRODUCT_MALFORMED', `${file} line ${i + 1} has ${r.length} fields, the header ${width}.`, { path: file, line: i + 1 });
    }
  });
}
