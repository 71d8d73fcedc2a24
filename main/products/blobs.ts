/**
 * Blob masks `<bin>_blobs_vN.zip`: one 8-bit grayscale PNG (0/255) per scored ROI, named `<bin>_NNNNN.png`,
 * same size as the (stitched) ROI image. The zip is read by our own central-directory reader over Node's
 * zlib rather than yauzl: the archives are small and read whole, we need only list + extract (stored or
 * deflated, no zip64, no encryption), and it avoids a dependency whose streaming API would add nothing here.
 */
import { inflateRawSync } from 'node:zlib';
import { IfcbError } from '../../shared/errors.ts';
import { parseRoiId } from './roi-id.ts';
import type { BlobEntry } from './types.ts';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** Largest single entry we inflate (a blob PNG is a few KB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function malformed(file: string, message: string): IfcbError {
  return new IfcbError('PRODUCT_MALFORMED', `${file}: not a readable blob zip (${message}).`, { path: file });
}

function centralDirectory(bytes: Uint8Array, file: string): ZipEntry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed(file, 'no end-of-central-directory record');
  const count = v.getUint16(eocd + 10, true);
  const size = v.getUint32(eocd + 12, true);
  let at = v.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new IfcbError('PRODUCT_UNSUPPORTED', `${file} is a zip64 archive, which blob zips never are.`, { path: file });
  if (at + size > eocd) throw malformed(file, 'central directory outside the file');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || v.getUint32(at, true) !== CENTRAL_SIGNATURE) throw malformed(file, `central directory entry ${i + 1} is damaged`);
    const nameLength = v.getUint16(at + 28, true);
    const end = at + 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    if (end > eocd) throw malformed(file, `central directory entry ${i + 1} runs past its end`);
    if ((v.getUint16(at + 8, true) & 1) !== 0) throw new IfcbError('PRODUCT_UNSUPPORTED', `${file} is encrypted.`, { path: file });
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: v.getUint16(at + 10, true),
      compressedSize: v.getUint32(at + 20, true),
      size: v.getUint32(at + 24, true),
      localOffset: v.getUint32(at + 42, true),
    });
    at = end;
  }
  return entries;
}

function entryData(bytes: Uint8Array, entry: ZipEntry, file: string): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || v.getUint32(at, true) !== LOCAL_SIGNATURE) throw malformed(file, `local header of ${entry.name} is damaged`);
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw malformed(file, `${entry.name} runs past the end of the file`);
  if (entry.size > MAX_ENTRY_BYTES) throw new IfcbError('PRODUCT_TOO_LARGE', `${file}: ${entry.name} is ${entry.size} bytes.`, { path: file });
  const raw = bytes.subarray(start, end);
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new IfcbError('PRODUCT_UNSUPPORTED', `${file}: ${entry.name} uses compression method ${entry.method}.`, { path: file });
  try {
    return inflateRawSync(raw, { maxOutputLength: MAX_ENTRY_BYTES });
  } catch (e) {
    throw malformed(file, `${entry.name} cannot be inflated: ${(e as Error).message}`);
  }
}

/** Width and height from a PNG's IHDR (the mask's size = the ROI image's size). */
function pngSize(png: Uint8Array, name: string, file: string): { width: number; height: number } {
  if (png.length < 24 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw malformed(file, `${name} is not a PNG`);
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: v.getUint32(16, false), height: v.getUint32(20, false) };
}

/** An opened blob zip: the masks by ROI number. */
export class BlobArchive {
  private readonly byRoi = new Map<number, ZipEntry>();
  readonly entries: BlobEntry[] = [];

  constructor(
    private readonly bytes: Uint8Array,
    /** The zip's path (for messages). */
    readonly file: string,
    binId?: string,
  ) {
    try {
      for (const entry of centralDirectory(bytes, file)) {
        if (!entry.name.toLowerCase().endsWith('.png') || entry.name.includes('/')) continue;
        const roi = parseRoiId(entry.name, file, binId);
        const { width, height } = pngSize(entryData(bytes, entry, file), entry.name, file);
        this.byRoi.set(roi, entry);
        this.entries.push({ roi, name: entry.name, width, height });
      }
    } catch (e) {
      if (e instanceof IfcbError) throw e;
      throw malformed(file, e instanceof Error ? e.message : String(e));
    }
    this.entries.sort((a, b) => a.roi - b.roi);
  }

  /** The mask PNG of one ROI (its own copy, not a view of the archive), or undefined when there is none. */
  png(roi: number): Uint8Array<ArrayBuffer> | undefined {
    const entry = this.byRoi.get(roi);
    return entry ? entryData(this.bytes, entry, this.file).slice() : undefined;
  }
}
