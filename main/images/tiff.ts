/**
 * 8-bit grayscale TIFF (one sample per pixel, BlackIsZero, LZW) of raw ROI pixels, via sharp.
 * sharp/libvips is the right tool here: a correct TIFF writer is far more than the three PNG chunks,
 * and libvips runs off the main thread. `toColourspace('b-w')` keeps one channel (sharp would
 * otherwise expand to RGB, see toolchain.md). sharp is loaded on first use: it is a native module, and only
 * TIFF export needs it (the command line and the PNG path start without it).
 */
import type SharpModule from 'sharp';

let loading: Promise<typeof SharpModule> | undefined;
function loadSharp(): Promise<typeof SharpModule> {
  loading ??= import('sharp').then((m) => m.default);
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
