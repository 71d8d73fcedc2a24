/**
 * 8-bit grayscale TIFF (one sample per pixel, BlackIsZero, LZW) of raw ROI pixels, via sharp.
 * sharp/libvips is the right tool here: a correct TIFF writer is far more than the three PNG chunks,
 * and libvips runs off the main thread. `toColourspace('b-w')` keeps one channel (sharp would
 * otherwise expand to RGB, see toolchain.md).
 *
 * sharp is a native module: it is loaded the first time a TIFF is written, so a platform where it fails to load
 * loses TIFF export (that export fails with the loader's error) instead of the whole app failing to start.
 */
import type { Sharp, SharpOptions } from 'sharp';

type SharpFactory = (input: Uint8Array, options: SharpOptions) => Sharp;
let loading: Promise<SharpFactory> | null = null;

function loadSharp(): Promise<SharpFactory> {
  loading ??= import('sharp').then(
    (m) => m.default as unknown as SharpFactory,
    (e: unknown) => {
      loading = null; // a later export tries again
      throw e;
    },
  );
  return loading;
}

/** Encode raw gray pixels (`height` rows of `width`) as an LZW-compressed 8-bit gray TIFF. */
export async function encodeGrayTiff(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (pixels.length !== width * height || width < 1 || height < 1) {
    throw new RangeError(`pixel buffer holds ${pixels.length} bytes, ${width}×${height} needs ${width * height}`);
  }
  const sharp = await loadSharp();
  const out = await sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'lzw' })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Encode raw gray pixels as PNG with sharp (kept for the benchmark's comparison; export uses png.ts). */
export async function encodeGrayPngSharp(pixels: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const out = await sharp(pixels, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
