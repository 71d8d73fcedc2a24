/** Reading a product file: read-only, regular files only (checked before opening), size-bounded; fs failures as FILE_MISSING / FILE_UNREADABLE / FILE_NOT_REGULAR. */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { IfcbError } from '../../shared/errors.ts';

/** Largest product file read whole (a 100k-ROI features table is ~250 MB; class files are far smaller). */
export const MAX_PRODUCT_BYTES = 512 * 1024 * 1024;

function fsError(e: unknown, file: string): IfcbError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new IfcbError('FILE_MISSING', `The product file ${file} does not exist.`, { path: file }, { cause: e });
  return new IfcbError('FILE_UNREADABLE', `Cannot read the product file ${file} (${code ?? (e as Error).message}).`, { path: file, ...(code ? { errno: code } : {}) }, { cause: e });
}

/**
 * Refuse what is not a regular file before it is opened: opening a FIFO for reading blocks until someone writes to
 * it (a hang), a device could stream forever. FILE_NOT_REGULAR, FILE_UNREADABLE for a folder, FILE_MISSING.
 */
export function checkRegularFile(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw fsError(e, file);
  }
  if (st.isDirectory()) throw new IfcbError('FILE_UNREADABLE', `${file} is a folder, not a file.`, { path: file });
  if (!st.isFile()) throw new IfcbError('FILE_NOT_REGULAR', `${file} is not a regular file (a pipe, socket or device); it was not opened.`, { path: file });
}

export function readProductBytes(file: string, maxBytes = MAX_PRODUCT_BYTES): Uint8Array {
  checkRegularFile(file);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw fsError(e, file);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new IfcbError('FILE_UNREADABLE', `${file} is not a regular file.`, { path: file });
    if (st.size > maxBytes) throw new IfcbError('PRODUCT_TOO_LARGE', `${file} is ${st.size} bytes; product files are read up to ${maxBytes} bytes.`, { path: file, size: st.size });
    const out = new Uint8Array(st.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (e) {
    throw e instanceof IfcbError ? e : fsError(e, file);
  } finally {
    closeSync(fd);
  }
}

export function readProductText(file: string, maxBytes = MAX_PRODUCT_BYTES): string {
  return new TextDecoder('utf-8').decode(readProductBytes(file, maxBytes));
}
