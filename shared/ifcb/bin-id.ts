/**
 * IFCB bin identifiers (pyifcb: `ifcb.data.identifiers`). Two syntaxes, matched at the start of a
 * file's base name:
 *   schema 1 (IFCB1–6):  IFCB5_2012_028_081515        (year, day of year, time)
 *   schema 2 (IFCB007+): D20130526T095207_IFCB013     (calendar date, time)
 * followed optionally by `_NNNNN` (target number), `_product` and `.extension`, in that order.
 * Timestamps are UTC. Environment-free.
 */
import { IfcbError } from '../errors.ts';

export type Schema = 1 | 2;

export interface BinIdentity {
  /** The bin id (pyifcb `lid`), e.g. `D20130526T095207_IFCB013`. */
  id: string;
  schema: Schema;
  /** Instrument number: `IFCB013` → 13, `IFCB5` → 5. */
  instrument: number;
  /** Sample start, ISO 8601 UTC without milliseconds, e.g. `2013-05-26T09:52:07Z`. */
  timestamp: string;
  /** The same instant in milliseconds since the epoch. */
  epochMs: number;
}

export interface ParsedName extends BinIdentity {
  target?: number;
  product?: string;
  extension?: string;
}

// pyifcb's field ranges: month 01–12, day 01–31, hour 00–23, minute/second 00–59, day of year [0-3]\d\d.
const V1 = /^IFCB(\d)_(\d{4})_([0-3]\d\d)_([01]\d|2[0-3])([0-5]\d)([0-5]\d)/;
const V2 = /^D(\d{4})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3])([0-5]\d)([0-5]\d)_IFCB(\d{3})/;
// What may follow the id: `_<digits>` target, `_<name>` product, `.<ext>`, in that order.
const SUFFIX = /^(?:_(\d+)(?=$|[._]))?(?:_([^.]+))?(?:\.(.*))?$/s;

/** Strip any directory, URL or Windows prefix, as pyifcb does before matching. */
export function baseName(pathOrName: string): string {
  const cut = Math.max(pathOrName.lastIndexOf('/'), pathOrName.lastIndexOf('\\'));
  return cut >= 0 ? pathOrName.slice(cut + 1) : pathOrName;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** Parse a bin id, file name or path; `null` when it is not a bin name (pyifcb raises `invalid pid`). */
export function tryParseBinName(pathOrName: string): ParsedName | null {
  const name = baseName(pathOrName);
  let identity: BinIdentity | null = null;
  let rest = '';
  const m1 = V1.exec(name);
  if (m1) {
    const [id, inst, y, doy, hh, mm, ss] = m1 as unknown as [string, string, string, string, string, string, string];
    const year = Number(y);
    const day = Number(doy);
    if (day < 1 || day > (isLeap(year) ? 366 : 365)) return null;
    const epochMs = Date.UTC(year, 0, day, Number(hh), Number(mm), Number(ss));
    identity = { id, schema: 1, instrument: Number(inst), timestamp: iso(epochMs), epochMs };
    rest = name.slice(id.length);
  } else {
    const m2 = V2.exec(name);
    if (!m2) return null;
    const [id, y, mo, d, hh, mm, ss, inst] = m2 as unknown as [string, string, string, string, string, string, string, string];
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (day > daysInMonth(year, month)) return null;
    const epochMs = Date.UTC(year, month - 1, day, Number(hh), Number(mm), Number(ss));
    identity = { id, schema: 2, instrument: Number(inst), timestamp: iso(epochMs), epochMs };
    rest = name.slice(id.length);
  }
  // Date.UTC maps years 0–99 to 1900–1999; IFCB ids always have 4-digit years, so fix that up.
  if (identity.epochMs < Date.UTC(1000, 0, 1)) {
    const d = new Date(identity.epochMs);
    d.setUTCFullYear(Number(identity.id.slice(identity.schema === 1 ? 6 : 1, identity.schema === 1 ? 10 : 5)));
    identity.epochMs = d.getTime();
    identity.timestamp = iso(identity.epochMs);
  }
  const s = SUFFIX.exec(rest);
  if (!s) return null;
  const parsed: ParsedName = identity;
  if (s[1] !== undefined) parsed.target = Number(s[1]);
  if (s[2] !== undefined) parsed.product = s[2];
  if (s[3] !== undefined) parsed.extension = s[3];
  return parsed;
}

/** Parse a bin id, file name or path, throwing `INVALID_BIN_ID` naming the file. */
export function parseBinName(pathOrName: string): ParsedName {
  const parsed = tryParseBinName(pathOrName);
  if (!parsed) {
    throw new IfcbError(
      'INVALID_BIN_ID',
      `"${baseName(pathOrName)}" is not an IFCB bin name (expected e.g. D20130526T095207_IFCB013 or IFCB5_2012_028_081515)`,
      { path: pathOrName },
    );
  }
  return parsed;
}

/** True when `id` is exactly a bin id (no suffix). */
export function isBinId(id: string): boolean {
  const p = tryParseBinName(id);
  return p !== null && p.id === id;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Format a bin id (pyifcb `unparse`): v1 `IFCB%1d_%4d_%03d_%02d%02d%02d`, v2 `D%4d%02d%02dT%02d%02d%02d_IFCB%03d`. */
export function formatBinId(schema: Schema, instrument: number, epochMs: number): string {
  const d = new Date(epochMs);
  const year = d.getUTCFullYear();
  const time = pad(d.getUTCHours(), 2) + pad(d.getUTCMinutes(), 2) + pad(d.getUTCSeconds(), 2);
  if (!Number.isInteger(instrument) || instrument < 0 || instrument > (schema === 1 ? 9 : 999)) {
    throw new IfcbError('INVALID_ARGUMENT', `instrument ${instrument} cannot be written in a schema ${schema} bin id`);
  }
  if (year < 1000 || year > 9999) {
    throw new IfcbError('INVALID_ARGUMENT', `year ${year} cannot be written in a bin id`);
  }
  if (schema === 1) {
    const dayOfYear = Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
    return `IFCB${instrument}_${year}_${pad(dayOfYear, 3)}_${time}`;
  }
  return `D${year}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}T${time}_IFCB${pad(instrument, 3)}`;
}

/** The instrument as its bin ids spell it: `IFCB5` (schema 1), `IFCB013` (schema 2). */
export function instrumentName(schema: Schema, instrument: number): string {
  return schema === 1 ? `IFCB${instrument}` : `IFCB${pad(instrument, 3)}`;
}

/** Export file name convention (pyifcb): `<bin id>_<target, 5 digits>.<ext>`. */
export function roiFileName(binId: string, target: number, extension = 'png'): string {
  return `${binId}_${pad(target, 5)}.${extension}`;
}
