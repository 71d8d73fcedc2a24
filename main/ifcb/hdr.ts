/**
 * `.hdr` header parsing (pyifcb 1.3 `ifcb.data.hdr.parse_hdr`; spec §2). Three variants, chosen by line 1:
 *  a) `softwareVersion: …` → `key: value` lines, values through Python's `ast.literal_eval`;
 *  b) the old 6-line quoted schema-1 header → `context` + 6 typed values from the last line;
 *  c) "…version 2.0; May 2010" with line 2 `Sample Date…` → only run/inhibit time and temperature/humidity.
 * Pure: no I/O. `decodeHeader` turns the file's bytes into text.
 */
import { IfcbError, isIfcbError } from '../../shared/errors.ts';
import { literalEval, setOwn } from './python-literal.ts';
import type { HeaderValue, Headers } from './types.ts';

/** A header this large is not a header (real ones are a few kB). */
export const HEADER_MAX_BYTES = 16 * 1024 * 1024;

const CONTEXT = 'context';
const ALT_BANNER = 'Imaging FlowCytobot Acquisition Software version 2.0; May 2010';

/** pyifcb `HDR_SCHEMA`: keys cast with Python `float`/`int` after parsing (variants a and b). */
const HDR_SCHEMA: ReadonlyArray<readonly [string, 'float' | 'int']> = [
  ['temperature', 'float'],
  ['humidity', 'float'],
  ['binarizeThreshold', 'int'],
  ['scatteringPhotomultiplierSetting', 'float'],
  ['fluorescencePhotomultiplierSetting', 'float'],
  ['blobSizeThreshold', 'int'],
];

/**
 * Decode a `.hdr` file's bytes: UTF-8 when valid (a BOM is dropped), else Latin-1, which never fails
 * (Python would raise UnicodeDecodeError on a Latin-1 header; we read it instead).
 */
export function decodeHeader(bytes: Uint8Array, sourcePath?: string): string {
  if (bytes.length > HEADER_MAX_BYTES) {
    throw new IfcbError(
      'HEADER_UNREADABLE',
      `${sourcePath ?? 'header'} is ${bytes.length} bytes, far beyond any IFCB .hdr (limit ${HEADER_MAX_BYTES}); check that it is the right file`,
      { path: sourcePath, bytes: bytes.length },
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // WHATWG 'latin1' is really windows-1252; map bytes to code points 0–255 ourselves.
    let out = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    return out;
  }
}

// Python's str.isspace() set, which str.rstrip()/strip() remove (JS trim differs: it strips U+FEFF, keeps U+001C–U+001F, U+0085).
const PY_SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function pyIsSpace(ch: string): boolean {
  return PY_SPACE.test(ch);
}

function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && pyIsSpace(s[end - 1]!)) end--;
  return s.slice(0, end);
}

function pyStrip(s: string): string {
  let start = 0;
  while (start < s.length && pyIsSpace(s[start]!)) start++;
  return pyRstrip(s.slice(start));
}

/** Lines as Python's text mode reads them (universal newlines: `\n`, `\r\n`, `\r`), without terminators. */
function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split(/\r\n|\r|\n/);
  // A final terminator ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Parse a header's text into its properties (pyifcb `parse_hdr`); an empty header gives `{}`.
 * HEADER_TOO_COMPLEX (with the line, and `sourcePath` when given) for a value nested or sized past the bounds.
 */
export function parseHeader(text: string, sourcePath?: string): Headers {
  const lines = splitLines(text).map(pyRstrip);
  if (lines.length === 0) return {};
  const first = lines[0]!;
  let props: Headers;
  if (first === ALT_BANNER) {
    if (lines.length > 1 && lines[1]!.startsWith('Sample Date')) return parseAltHeader(lines);
    props = { [CONTEXT]: first };
  } else if (/^[Ss]oftwareVersion:/.test(first)) {
    props = { [CONTEXT]: first };
    for (let i = 1; i < lines.length; i++) {
      // re.split(': ', line) must give exactly two parts; other lines are "not valid RFC 822" and ignored.
      const parts = lines[i]!.split(': ');
      if (parts.length !== 2) continue;
      const value = parts[1]!;
      const parsed = evaluateLine(value, i + 1, sourcePath);
      setOwn(props, parts[0]!, parsed === undefined ? value : parsed);
    }
  } else {
    // The old quoted header: "context" is every line but the last two, quotes stripped.
    props = { [CONTEXT]: lines.slice(0, -2).map((l) => stripChar(l, '"')).join('\n') };
    if (lines.length >= 6) {
      const values = pyStrip(lines[lines.length - 1]!.replace(/[",]/g, ' ')).split(/ +/);
      for (let i = 0; i < HDR_SCHEMA.length && i < values.length; i++) props[HDR_SCHEMA[i]![0]] = values[i]!;
    }
  }
  for (const [name, cast] of HDR_SCHEMA) {
    if (Object.hasOwn(props, name)) props[name] = castValue(props[name]!, cast);
  }
  return props;
}

/** `literalEval` of line `line`'s value, its bound errors saying where. */
function evaluateLine(value: string, line: number, sourcePath: string | undefined): HeaderValue | undefined {
  try {
    return literalEval(value);
  } catch (e) {
    if (!isIfcbError(e, 'HEADER_TOO_COMPLEX')) throw e;
    const where = sourcePath === undefined ? `line ${line}` : `${sourcePath} line ${line}`;
    throw new IfcbError('HEADER_TOO_COMPLEX', `${where}: ${e.message}; the header cannot be read.`, { ...e.details, line, ...(sourcePath === undefined ? {} : { path: sourcePath }) });
  }
}

function stripChar(s: string, ch: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ch) start++;
  while (end > start && s[end - 1] === ch) end--;
  return s.slice(start, end);
}

/** Variant c: pyifcb `parse_alt_header`. */
function parseAltHeader(lines: string[]): Headers {
  const props: Headers = {};
  for (const line of lines) {
    let m = /^run time = ([\d.]+) s\s+inhibit time = ([\d.]+)/.exec(line);
    if (m) {
      props['runTime'] = pyFloat(m[1]!) ?? m[1]!;
      props['inhibitTime'] = pyFloat(m[2]!) ?? m[2]!;
      continue;
    }
    m = /^([\d.]+) temperature,\s+([\d.]+) humidity/.exec(line);
    if (m) {
      props['temperature'] = pyFloat(m[1]!) ?? m[1]!;
      props['humidity'] = pyFloat(m[2]!) ?? m[2]!;
    }
  }
  return props;
}

/**
 * pyifcb casts known keys with Python `float()`/`int()`. Where Python would raise (e.g. `int('30.5')`,
 * `float(None)`), pyifcb fails to open the bin; we keep the value as it was instead.
 */
function castValue(value: HeaderValue, cast: 'float' | 'int'): HeaderValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (cast === 'float') return value;
    return Number.isFinite(value) ? Math.trunc(value) + 0 : value; // `+ 0` turns -0 into Python's int 0
  }
  if (typeof value === 'string') return (cast === 'float' ? pyFloat(value) : pyInt(value)) ?? value;
  return value;
}

const PY_FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** Python `float(str)`; undefined where Python raises ValueError. (Non-ASCII digits are not accepted.) */
function pyFloat(s: string): number | undefined {
  const t = pyStrip(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    const v = special[2]!.toLowerCase() === 'nan' ? NaN : Infinity;
    return special[1] === '-' ? -v : v;
  }
  return PY_FLOAT_RE.test(t) ? Number(t.replace(/_/g, '')) : undefined;
}

/** Python `int(str)` (base 10; leading zeros allowed, unlike in literals). */
function pyInt(s: string): number | undefined {
  const t = pyStrip(s);
  if (!/^[+-]?\d(?:_?\d)*$/.test(t)) return undefined;
  return Number(BigInt(t.replace(/_/g, '').replace(/^\+/, '')));
}

/**
 * Case-insensitive header lookup (pyifcb `bin.header(key)` via requests' CaseInsensitiveDict: when
 * several keys differ only by case, the last one in the file wins). Undefined when absent.
 */
export function headerLookup(headers: Headers, key: string): HeaderValue | undefined {
  const wanted = key.toLowerCase();
  let found: HeaderValue | undefined;
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === wanted) found = headers[k];
  }
  return found;
}
