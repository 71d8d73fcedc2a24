/**
 * Image encoders, in one place.
 * - PNG (8-bit gray, raw values): the minimal encoder of png.ts (filter 0 rows + node:zlib deflate +
 *   IHDR/IDAT/IEND), deflated on a worker_threads pool (png-pool.ts). Chosen by measurement
 *   (test/bench/export.bench.ts): ~2× sharp and ~3× fast-png for small gray ROIs, and the pool beats
 *   `zlib.deflate` on the libuv pool.
 * - TIFF (8-bit gray, LZW): sharp/libvips (tiff.ts) — a real TIFF writer, running off the main thread.
 */
import { encodeGrayPng, encodeGrayPngSync, type PngOptions } from './png.ts';
import { encodeGrayPngPooled, PngWorkerError, PngWorkerPool, sharedPngPool, writeGrayPngPooled } from './png-pool.ts';
import { encodeGrayTiff, encodeGrayPngSharp } from './tiff.ts';

export {
  encodeGrayPng,
  encodeGrayPngSync,
  encodeGrayPngPooled,
  writeGrayPngPooled,
  encodeGrayTiff,
  encodeGrayPngSharp,
  PngWorkerError,
  PngWorkerPool,
  sharedPngPool,
  type PngOptions,
};
export { framePng, scanlines } from './png.ts';

export type ImageFormat = 'png' | 'tiff';

/** File extension written for each format. */
export const IMAGE_EXTENSION: Record<ImageFormat, string> = { png: 'png', tiff: 'tif' };

/** Encode raw 8-bit gray pixels (`height` rows of `width`) in the given format, off the main thread. */
export function encodeGray(format: ImageFormat, pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  return format === 'png' ? encodeGrayPngPooled(pixels, width, height) : encodeGrayTiff(pixels, width, height);
}
