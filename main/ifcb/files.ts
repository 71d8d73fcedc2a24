/**
 * Opening and reading a bin's raw files: the one place that turns `fs` failures into the reader's
 * error codes. Files are only ever opened read-only and closed in `finally` on every path. Only regular files
 * are opened: a FIFO, socket or device named like a bin file is refused (FILE_NOT_REGULAR) before it is opened,
 * because opening a FIFO blocks until a writer appears, and reading a device never ends.
 */
import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { IfcbError } from '../../shared/errors.ts';
import { ADC_MAX_BYTES } from './adc.ts';
import { HEADER_MAX_BYTES } from './hdr.ts';
import { readFully } from './roi.ts';

/** Which of a bin's three files. */
export type BinFileKind = 'adc' | 'hdr' | 'roi';

/** A failed `open`/`fstat`/`read` of a bin file as `FILE_MISSING` (ENOENT, ENOTDIR) or `FILE_UNREADABLE` (anything else). */
export function binFileError(e: unknown, file: string, kind: BinFileKind, binId: string): IfcbError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const need = kind === 'roi' ? 'Images need the .roi file; copy it next to the .adc and .hdr.' : 'A bin needs its .adc and .hdr files; copy the missing file next to the others.';
    return new IfcbError('FILE_MISSING', `${binId}: the .${kind} file is missing (${file}). ${need}`, { path: file, kind, binId }, { cause: e });
  }
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied; check the file permissions'
      : code === 'EISDIR'
        ? 'it is a directory, not a file'
        : `${code ?? 'I/O error'}: ${e instanceof Error ? e.message : String(e)}`;
  return new IfcbError('FILE_UNREADABLE', `${binId}: cannot read the .${kind} file ${file} (${why})`, { path: file, kind, binId, ...(code ? { errno: code } : {}) }, { cause: e });
}

/**
 * Read-only and non-blocking: should a FIFO replace the file between the check and the open, the open returns
 * at once instead of waiting for a writer (and the fstat check refuses it). No effect on regular files.
 * Windows has neither flag nor FIFOs in the file system.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** FILE_NOT_REGULAR (a FIFO, socket or device), or FILE_UNREADABLE for a directory; null for a regular file. */
function notRegular(st: Stats, file: string, kind: BinFileKind, binId: string): IfcbError | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return binFileError(Object.assign(new Error('is a directory'), { code: 'EISDIR' }), file, kind, binId);
  const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
  return new IfcbError('FILE_NOT_REGULAR', `${binId}: the .${kind} file ${file} is ${what}, not a regular file; it was not opened.`, { path: file, kind, binId });
}

/**
 * Check without opening that a bin file exists and is a regular file: the errors `openBinFile` would give
 * (FILE_MISSING, FILE_NOT_REGULAR, FILE_UNREADABLE for a folder or an unreadable path).
 */
export function checkBinFile(file: string, kind: BinFileKind, binId: string): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw binFileError(e, file, kind, binId);
  }
  const refused = notRegular(st, file, kind, binId);
  if (refused) throw refused;
}

/**
 * Open a bin file read-only, checking first that it is a regular file; returns the fd and its size.
 * `onStat` sees the `fstat` of what was opened, or the `stat` of what was refused (its stamp says when to retry).
 */
export function openBinFile(file: string, kind: BinFileKind, binId: string, onStat?: (st: Stats) => void): { fd: number; size: number } {
  let fd: number;
  try {
    const st = statSync(file);
    const refused = notRegular(st, file, kind, binId);
    if (refused) {
      onStat?.(st);
      throw refused;
    }
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw e instanceof IfcbError ? e : binFileError(e, file, kind, binId);
  }
  try {
    const st = fstatSync(fd);
    onStat?.(st);
    const refused = notRegular(st, file, kind, binId);
    if (refused) throw refused;
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e instanceof IfcbError ? e : binFileError(e, file, kind, binId);
  }
}

/** The size limit of a whole-file read, and the error past it (the `.roi` is never read whole). */
function tooLarge(file: string, kind: 'adc' | 'hdr', size: number): IfcbError | null {
  if (kind === 'hdr') {
    return size > HEADER_MAX_BYTES
      ? new IfcbError('HEADER_UNREADABLE', `${file} is ${size} bytes, far larger than any IFCB header: it is probably not a .hdr file`, { path: file, size })
      : null;
  }
  return size > ADC_MAX_BYTES ? new IfcbError('ADC_TOO_LARGE', `${file} is ${size} bytes; the reader accepts .adc files up to ${ADC_MAX_BYTES} bytes`, { path: file, size, limit: ADC_MAX_BYTES }) : null;
}

/**
 * A whole `.hdr` or `.adc`, read-only: regular files only, within `HEADER_MAX_BYTES` / `ADC_MAX_BYTES`
 * (`HEADER_UNREADABLE` / `ADC_TOO_LARGE`), every `fs` failure an IfcbError; a file that shrinks while
 * being read yields what is there. `onStat` as in `openBinFile`.
 */
export function readBinFile(file: string, kind: 'adc' | 'hdr', binId: string, options: { onStat?: (st: Stats) => void } = {}): Uint8Array {
  const { fd, size } = openBinFile(file, kind, binId, options.onStat);
  try {
    const over = tooLarge(file, kind, size);
    if (over) throw over;
    // Pooled for small files: the bytes are parsed and dropped (thousands per index run), never kept.
    const buf = Buffer.allocUnsafe(size);
    let got: number;
    try {
      got = readFully(fd, buf, size, 0);
    } catch (e) {
      throw binFileError(e, file, kind, binId);
    }
    return got === size ? buf : buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
