/**
 * Opening and reading a bin's raw files: the one place that turns `fs` failures into the reader's
 * error codes. Files are only ever opened with flag 'r' and closed in `finally` on every path.
 */
import { closeSync, fstatSync, openSync, type Stats } from 'node:fs';
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
 * Open a bin file read-only, checking it is a regular file; returns the fd and its size.
 * `onStat` sees the `fstat` of what was opened, before the regular-file check.
 */
export function openBinFile(file: string, kind: BinFileKind, binId: string, onStat?: (st: Stats) => void): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw binFileError(e, file, kind, binId);
  }
  try {
    const st = fstatSync(fd);
    onStat?.(st);
    if (!st.isFile()) throw binFileError(Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' }), file, kind, binId);
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
