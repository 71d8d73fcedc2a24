/**
 * What the catalogue stores about one bin, from its `.hdr` and `.adc` through the reader (the
 * `.roi` is never opened: its completeness is judged from its size against the ADC). Runs inside an
 * index worker. Never throws: a bin that cannot be parsed is returned with the `unreadable` flag and
 * the reader's error code, and so is a bin with a value the database cannot hold (`storable`), so one
 * damaged `.adc` never fails the batch of bins written with it.
 */
import { statSync, type Stats } from 'node:fs';
import { IfcbError, isIfcbError, type ErrorCode } from '../../shared/errors.ts';
import { parseBinName, type ParsedName } from '../../shared/ifcb/bin-id.ts';
import { parseAdc } from '../ifcb/adc.ts';
import { readBinFile } from '../ifcb/files.ts';
import { decodeHeader, parseHeader } from '../ifcb/hdr.ts';
import { rawGeometries } from '../ifcb/image-map.ts';
import { validateRoiGeometry } from '../ifcb/roi.ts';
import { computeMetrics } from '../ifcb/metrics.ts';
import type { HeaderValue, Headers } from '../ifcb/types.ts';
import type { ParsedBin } from './store.ts';
import type { FileStamp } from './walk.ts';
import { QC_FLAGS, type CatalogueHeaderValue } from './types.ts';

/** Header values kept per bin (besides temperature/humidity/runTime/inhibitTime), looked up case-insensitively. */
export const HEADER_KEYS = [
  'sampleType',
  'runType',
  'sampleNumber',
  'triggerCount',
  'roiCount',
  'SyringeSampleVolume',
  'runSampleFast',
  'runBeads',
  'binarizeThreshold',
  'blobSizeThreshold',
  'minimumBlobArea',
  'PMTAhighVoltage',
  'PMTBhighVoltage',
  'PMTAtriggerThreshold_DAQ_MCConly',
  'PMTBtriggerThreshold_DAQ_MCConly',
  'scatteringPhotomultiplierSetting',
  'fluorescencePhotomultiplierSetting',
  'FileComment',
  'imagerID',
] as const;

/** Header run time and computed run time may differ by this fraction before the bin is flagged. */
export const RUN_TIME_TOLERANCE = 0.02;

/** Counts of files this thread has read while parsing (observable: an unchanged re-index reads none). */
export const filesRead = { adc: 0, hdr: 0 };

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) ? n : null;
}

function numeric(v: HeaderValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function scalar(v: HeaderValue | undefined): CatalogueHeaderValue | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.length > 200 ? v.slice(0, 200) : v;
  if (typeof v === 'boolean' || v === null) return v;
  return undefined;
}

/** Every header key lower-cased → value, the last duplicate winning (as the reader's `headerLookup`), in one pass. */
function lowerCased(headers: Headers): Map<string, HeaderValue> {
  const out = new Map<string, HeaderValue>();
  for (const k of Object.keys(headers)) out.set(k.toLowerCase(), headers[k]!);
  return out;
}

function selectedHeaders(lower: Map<string, HeaderValue>): Record<string, CatalogueHeaderValue> {
  const out: Record<string, CatalogueHeaderValue> = {};
  for (const key of HEADER_KEYS) {
    const v = scalar(lower.get(key.toLowerCase()));
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function emptyParsed(identity: ParsedName): ParsedBin {
  return {
    id: identity.id,
    schema: identity.schema,
    instrument: identity.instrument,
    epochMs: identity.epochMs,
    adcRows: null,
    triggers: null,
    images: null,
    runTime: null,
    inhibitTime: null,
    lookTime: null,
    mlAnalyzed: null,
    headerRunTime: null,
    headerInhibitTime: null,
    temperature: null,
    humidity: null,
    headerKeys: null,
    headerValues: {},
    roiExpectedBytes: null,
    qc: 0,
    errorCode: null,
    errorMessage: null,
    files: { adc: null, hdr: null, roi: null },
  };
}

/** The stamp of exactly what is read (stored as the bin's "unchanged" signature). */
function stampOf(st: Stats): FileStamp {
  return { size: st.size, mtimeMs: st.mtimeMs };
}

function statStamp(file: string): FileStamp | null {
  try {
    const st = statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * Columns stored as SQLite INTEGER (STRICT: anything but a safe integer fails the whole write). The
 * identity (instrument, epochMs) is not among them: it comes from a validated bin name.
 */
const INTEGER_FIELDS = ['adcRows', 'triggers', 'images', 'headerKeys', 'roiExpectedBytes'] as const;
/** Columns stored as REAL: finite or null (JSON and the time series have no NaN). */
const REAL_FIELDS = ['runTime', 'inhibitTime', 'lookTime', 'mlAnalyzed', 'headerRunTime', 'headerInhibitTime', 'temperature', 'humidity'] as const;
/** The code a bad value gets, by where it came from. */
const CODE_OF_FIELD: Partial<Record<keyof ParsedBin, ErrorCode>> = {
  roiExpectedBytes: 'ROI_INVALID_GEOMETRY',
  headerKeys: 'HEADER_UNREADABLE',
  headerRunTime: 'HEADER_UNREADABLE',
  headerInhibitTime: 'HEADER_UNREADABLE',
  temperature: 'HEADER_UNREADABLE',
  humidity: 'HEADER_UNREADABLE',
};

/**
 * The last check before the database: every integer column a safe integer, every real finite (or
 * null). A bin failing it is kept, flagged unreadable with the code of the file the value came from
 * (ADC_MALFORMED_ROW, ROI_INVALID_GEOMETRY, HEADER_UNREADABLE), its bad values dropped.
 */
export function storable(parsed: ParsedBin): ParsedBin {
  const bad = [
    ...INTEGER_FIELDS.filter((f) => parsed[f] !== null && !Number.isSafeInteger(parsed[f])),
    ...REAL_FIELDS.filter((f) => parsed[f] !== null && !Number.isFinite(parsed[f])),
  ];
  if (bad.length === 0) return parsed;
  const out: ParsedBin = { ...parsed, qc: parsed.qc | QC_FLAGS.unreadable };
  for (const f of bad) (out as unknown as Record<string, null>)[f] = null;
  const first = bad[0]!;
  out.errorCode = parsed.errorCode ?? CODE_OF_FIELD[first] ?? 'ADC_MALFORMED_ROW';
  out.errorMessage = parsed.errorMessage ?? `${parsed.id}: ${bad.map((f) => `${f} = ${String(parsed[f])}`).join(', ')} cannot be a real value; the bin is listed as unreadable`;
  return out;
}

function fail(out: ParsedBin, e: unknown, base: string): ParsedBin {
  // Stamps of files that could not be read (permission denied, vanished) still say when to retry.
  out.files.hdr ??= statStamp(`${base}.hdr`);
  out.files.adc ??= statStamp(`${base}.adc`);
  const err = isIfcbError(e) ? e : new IfcbError('INTERNAL', `unexpected failure while reading ${base}: ${e instanceof Error ? e.message : String(e)}`);
  out.qc |= QC_FLAGS.unreadable;
  out.errorCode = err.code;
  out.errorMessage = err.message;
  // values read before the failure (e.g. a fractional TRIGGER) must not reach the database either
  return storable(out);
}

/** Parse one bin (base path = directory + id) into the catalogue's fields with the reader's parsers. */
export function parseBin(base: string): ParsedBin {
  const identity = parseBinName(base);
  const out = emptyParsed(identity);
  out.files.roi = statStamp(`${base}.roi`);
  const paths = { hdr: `${base}.hdr`, adc: `${base}.adc` };
  let headers: Headers;
  let adcBytes: Uint8Array;
  try {
    filesRead.hdr++;
    const hdrBytes = readBinFile(paths.hdr, 'hdr', identity.id, { onStat: (st) => (out.files.hdr = stampOf(st)) });
    filesRead.adc++;
    adcBytes = readBinFile(paths.adc, 'adc', identity.id, { onStat: (st) => (out.files.adc = stampOf(st)) });
    headers = parseHeader(decodeHeader(hdrBytes, paths.hdr));
  } catch (e) {
    return fail(out, e, base);
  }
  out.headerKeys = Object.keys(headers).length;
  if (out.headerKeys === 0) out.qc |= QC_FLAGS.emptyHeader;
  const lower = lowerCased(headers);
  out.headerRunTime = numeric(lower.get('runtime'));
  out.headerInhibitTime = numeric(lower.get('inhibittime'));
  out.temperature = numeric(lower.get('temperature'));
  out.humidity = numeric(lower.get('humidity'));
  out.headerValues = selectedHeaders(lower);
  try {
    const adc = parseAdc(adcBytes, identity.schema, paths.adc);
    out.adcRows = adc.rowCount;
    out.triggers = adc.triggers;
    if (adc.rowCount === 0) out.qc |= QC_FLAGS.empty;
    const geometries = rawGeometries(adc);
    out.images = geometries.length;
    let expected = 0;
    for (const g of geometries) {
      // ROI_INVALID_GEOMETRY for a START_BYTE of 1e300 or a width of 4294967297, as when reading pixels
      validateRoiGeometry(g, { binId: identity.id });
      expected = Math.max(expected, g.byteOffset + g.width * g.height);
    }
    out.roiExpectedBytes = expected;
    const m = computeMetrics(identity, adc, headers);
    out.runTime = finite(m.runTime);
    out.inhibitTime = finite(m.inhibitTime);
    out.lookTime = finite(m.lookTime);
    out.mlAnalyzed = finite(m.mlAnalyzed);
    if (out.headerRunTime !== null && out.runTime !== null && out.runTime !== 0) {
      if (Math.abs(out.headerRunTime - out.runTime) / Math.abs(out.runTime) > RUN_TIME_TOLERANCE) out.qc |= QC_FLAGS.runTimeMismatch;
    }
  } catch (e) {
    return fail(out, e, base);
  }
  return storable(out);
}
