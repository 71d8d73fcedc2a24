/**
 * 8-bit grayscale PNG encoding of raw ROI pixels (color type 0, bit depth 8, filter 0 on every row,
 * one IDAT). Pixels are written exactly as given: no scaling, no gamma chunk.
 *
 * Why hand-written instead of sharp: for small gray ROIs sharp's per-call overhead dominates and it
 * writes RGB unless told otherwise (toolchain.md); `node:zlib` deflate + three chunks is ~3× faster.
 * The async variant runs deflate on the libuv thread pool, so the main thread only frames bytes.
 */
import { crc32, deflate, deflateSync, constants as zc } from 'node:zlib';
import { promisify } from 'node:util';

const deflateAsync = promisify(deflate);

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** PNG caps width/height at 2^31-1; IFCB ROIs are at most the camera frame, so anything huge is a bug. */
const MAX_SIDE = 1 << 16;

export interface PngOptions {
  /** zlib level 0–9; 6 matches libpng's default and gives pyifcb-sized files. */
  level?: number;
}

function checkGeometry(pixels: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new RangeError(`cannot encode a ${width}×${height} image`);
  }
  if (pixels.length !== width * height) {
    throw new RangeError(`pixel buffer holds ${pixels.length} bytes, ${width}×${height} needs ${width * height}`);
  }
}

/** The scanlines PNG deflates: each row prefixed by its filter byte (0 = none). */
export function scanlines(pixels: Uint8Array, width: number, height: number): Uint8Array {
  checkGeometry(pixels, width, height);
  const stride = width + 1;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) out.set(pixels.subarray(y * width, (y + 1) * width), y * stride + 1);
  return out;
}

function chunk(out: Uint8Array, at: number, type: string, data: Uint8Array): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, data.length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  out.set(data, at + 8);
  // CRC covers type + data
  view.setUint32(at + 8 + data.length, crc32(out.subarray(at + 4, at + 8 + data.length)));
  return at + 12 + data.length;
}

/** Frame deflated scanlines as a complete PNG file. */
export function framePng(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  // compression, filter and interlace methods all 0
  const out = new Uint8Array(SIGNATURE.length + 25 + 12 + idat.length + 12);
  out.set(SIGNATURE, 0);
  let at = chunk(out, SIGNATURE.length, 'IHDR', ihdr);
  at = chunk(out, at, 'IDAT', idat);
  chunk(out, at, 'IEND', new Uint8Array(0));
  return out;
}

function zlibOptions(options: PngOptions): { level: number; strategy: number } {
  const level = options.level ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`PNG level must be 0–9, got ${level}`);
  return { level, strategy: zc.Z_DEFAULT_STRATEGY };
}

/** Encode on the calling thread (for small one-off images and as the benchmark's reference). */
export function encodeGrayPngSync(pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Uint8Array {
  const idat = deflateSync(scanlines(pixels, width, height), zlibOptions(options));
  return framePng(width, height, idat);
}

/** Encode with deflate on the libuv thread pool; the main thread only copies rows and frames chunks. */
export async function encodeGrayPng(pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<Uint8Array> {
  const idat = await deflateAsync(scanlines(pixels, width, height), zlibOptions(options));
  return framePng(width, height, idat);
}
