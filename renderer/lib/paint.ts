/**
 * Raw 8-bit gray ROI pixels to screen: gray → RGBA for the mosaic's bitmaps (made in the sheet worker) and the
 * inspector's and ROI view's canvas, with an optional display LUT. Nothing here changes pixel values unless a LUT
 * is given.
 */

/** Little-endian RGBA words for each gray level, with an optional display LUT folded in. */
function rgbaTable(lut?: Uint8Array): Uint32Array {
  const table = new Uint32Array(256);
  for (let g = 0; g < 256; g++) {
    const v = lut ? lut[g]! : g;
    table[g] = (0xff000000 | (v << 16) | (v << 8) | v) >>> 0;
  }
  return table;
}

/** Opaque RGBA word of each gray level (R = G = B = gray): how raw pixels are drawn everywhere. */
const GRAY_RGBA = rgbaTable();

// One scratch image reused for every paint (grown on demand): no allocation per tile while scrolling.
let scratch: ImageData | null = null;
let scratchWords: Uint32Array | null = null;

function scratchFor(width: number, height: number): { image: ImageData; words: Uint32Array } {
  if (!scratch || scratch.width < width || scratch.height < height) {
    scratch = new ImageData(Math.max(width, scratch?.width ?? 0, 256), Math.max(height, scratch?.height ?? 0, 256));
    scratchWords = new Uint32Array(scratch.data.buffer);
  }
  return { image: scratch, words: scratchWords! };
}

/** Paint `height` rows of `width` gray pixels into the canvas (resized to match), through an optional LUT. */
export function paintGray(canvas: HTMLCanvasElement, width: number, height: number, pixels: Uint8Array, lut?: Uint8Array): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx || width === 0 || height === 0) return;
  const { image, words } = scratchFor(width, height);
  const table = lut ? rgbaTable(lut) : GRAY_RGBA;
  const stride = image.width;
  for (let y = 0; y < height; y++) {
    const from = y * width;
    const to = y * stride;
    for (let x = 0; x < width; x++) words[to + x] = table[pixels[from + x]!]!;
  }
  ctx.putImageData(image, 0, 0, 0, 0, width, height);
}

/** Raw gray pixels as opaque RGBA words (R = G = B = gray, little-endian), e.g. into an ImageData's buffer. */
export function grayToRgba(pixels: Uint8Array, words: Uint32Array): void {
  const n = Math.min(words.length, pixels.length);
  for (let i = 0; i < n; i++) words[i] = GRAY_RGBA[pixels[i]!]!;
}

/**
 * Display-only contrast/brightness/gamma as a lookup table: out = 255·((clamp(c·(in/255 − 0.5) + 0.5 + b))^(1/γ)).
 * The exported pixels stay raw; this only changes what the inspector shows.
 */
export function displayLut(contrast: number, brightness: number, gamma: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let g = 0; g < 256; g++) {
    let v = contrast * (g / 255 - 0.5) + 0.5 + brightness;
    v = Math.min(1, Math.max(0, v));
    lut[g] = Math.round(255 * Math.pow(v, 1 / gamma));
  }
  return lut;
}
