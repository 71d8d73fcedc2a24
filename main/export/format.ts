/**
 * Text formatting for the export's tables: metadata.csv, the EcoTaxa TSV, and the pyifcb `to_zip`
 * members (which must look like Python/pandas wrote them).
 */

/** Shortest round-trip decimal for a number; empty for NaN/±Infinity (pandas' `na_rep=''`). */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : '';
}

/** A number rounded to `digits` decimals without trailing zeros (`28.24`, `10`, `0.5`). */
export function formatFixed(n: number, digits: number): string {
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toFixed(digits)));
}

/**
 * Python's `repr(float)` (what pandas' `to_csv` and `json.dumps` write): shortest round-trip digits,
 * scientific below 1e-4 or from 1e16 on, always a `.0` or exponent so it reads back as a float.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // JS toExponential() without an argument gives the shortest digits that round-trip, like Python.
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return negative ? `-${body}` : body;
}

/** One RFC 4180 CSV field: quoted only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** EcoTaxa reads its TSV as Latin-1 with `"` as the quote character: keep fields plain ASCII, no tabs. */
export function tsvField(value: string): string {
  return value.replace(/[\t\r\n"]/g, ' ');
}

/** `YYYYMMDD` and `HHMMSS` (UTC) of an instant, as EcoTaxa's object_date / object_time want them. */
export function ecotaxaDateTime(epochMs: number): { date: string; time: string } {
  const iso = new Date(epochMs).toISOString(); // 2013-05-26T09:52:07.000Z
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 19).replaceAll(':', '') };
}

/** Python's `datetime.isoformat()` for a UTC timestamp: `2012-01-28T08:15:15+00:00`. */
export function pythonIsoUtc(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const ms = epochMs % 1000;
  return (ms === 0 ? iso.slice(0, 19) : iso.slice(0, 23) + '000') + '+00:00';
}

/** Python's `json.dumps` with default settings (`, ` and `: ` separators, ASCII only, floats via repr). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    // The reader keeps ints and floats both as number: integral values are written as ints.
    return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`);
    return `{${parts.join(', ')}}`;
  }
  return pythonJsonDumps(String(value));
}
