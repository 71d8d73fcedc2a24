/**
 * What the catalogue stores about one bin, from its `.hdr` and `.adc` through the reader (the
 * `.roi` is never opened: its completeness is judged from its size against the ADC). Runs inside an
 * index worker. Never throws: a bin that cannot be parsed is returned with the `unreadable` flag and
 * the reader's error code.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { IfcbError, isIfcbError } from '../../shared/errors.ts';
import { parseBinName, type ParsedName } from '../../shared/ifcb/bin-id.ts';
import { ADC_MAX_BYTES, parseAdc } from '../ifcb/adc.ts';
import { HEADER_MAX_BYTES, decodeHeader, parseHeader } from '../ifcb/hdr.ts';
import { rawGeometries } from '../ifcb/image-map.ts';
import { computeMetrics } from '../ifcb/metrics.ts';
import type { HeaderValue, Headers } from '../ifcb/types.ts';
import type { BinStamps, ParsedBin } from './store.ts';
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

type Kind = 'hdr' | 'adc';

function readError(e: unknown, file: string, kind: Kind, id: string): IfcbError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new IfcbError('FILE_MISSING', `${id}: the .${kind} file is missing (${file})`, { path: file, kind, binId: id });
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory, not a file' : (code ?? String(e));
  return new IfcbError('FILE_UNREADABLE', `${id}: cannot read the .${kind} file ${file} (${why})`, { path: file, kind, binId: id, ...(code ? { errno: code } : {}) });
}

/** Read a whole .hdr/.adc read-only, with the reader's size limits and error codes. */
function readBinFile(file: string, kind: Kind, id: string, stamps: BinStamps): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw readError(e, file, kind, id);
  }
  try {
    const st = fstatSync(fd);
    // The stamp of exactly what is read (stored as the bin's "unchanged" signature).
    stamps[kind] = { size: st.size, mtimeMs: st.mtimeMs };
    if (!st.isFile()) throw readError(Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' }), file, kind, id);
    const limit = kind === 'hdr' ? HEADER_MAX_BYTES : ADC_MAX_BYTES;
    if (st.size > limit) {
      throw kind === 'hdr'
        ? new IfcbError('HEADER_UNREADABLE', `${file} is ${st.size} bytes, far larger than any IFCB header: it is probably not a .hdr file`, { path: file, size: st.size })
        : new IfcbError('ADC_TOO_LARGE', `${file} is ${st.size} bytes; the reader accepts .adc files up to ${ADC_MAX_BYTES} bytes`, { path: file, size: st.size, limit: ADC_MAX_BYTES });
    }
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break; // the file shrank while being read: parse what is there
      got += n;
    }
    return got === st.size ? buf : buf.subarray(0, got);
  } catch (e) {
    throw isIfcbError(e) ? e : readError(e, file, kind, id);
  } finally {
    closeSync(fd);
  }
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

function statStamp(file: string): FileStamp | null {
  try {
    const st = statSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}

function fail(out: ParsedBin, e: unknown, base: string): ParsedBin {
  // Stamps of files that could not be read (permission denied, vanished) still say when to retry.
  out.files.hdr ??= statStamp(`${base}.hdr`);
  out.files.adc ??= statStamp(`${base}.adc`);
  const err = isIfcbError(e) ? e : new IfcbError('INTERNAL', `unexpected failure while reading ${base}: ${e instanceof Error ? e.message : String(e)}`);
  out.qc |= QC_FLAGS.unreadable;
  out.errorCode = err.code;
  out.errorMessage = err.message;
  return out;
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
    const hdrBytes = readBinFile(paths.hdr, 'hdr', identity.id, out.files);
    filesRead.adc++;
    adcBytes = readBinFile(paths.adc, 'adc', identity.id, out.files);
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
    for (const g of geometries) expected = Math.max(expected, g.byteOffset + g.width * g.height);
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
  return out;
}
