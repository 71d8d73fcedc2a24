/**
 * A ROI's blob outline over its image: the mask (`bin:blob-mask`, an 8-bit 0/255 PNG of the ROI's size) decoded
 * with createImageBitmap, its edge (mask pixels with a 4-neighbour outside the mask) painted in one colour that
 * stands out on the gray images, on a transparent canvas laid exactly over the image's camera pixels.
 */

/** The outline colour, RGBA: a saturated magenta, far from any gray in both themes. */
export const OUTLINE_RGBA = [255, 0, 200, 255] as const;

/** 1 where the mask is on and a pixel above, below, left or right of it is off (or outside the image), else 0. */
export function maskEdge(mask: Uint8Array, width: number, height: number): Uint8Array {
  const edge = new Uint8Array(width * height);
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x]! !== 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y)) continue;
      if (!on(x - 1, y) || !on(x + 1, y) || !on(x, y - 1) || !on(x, y + 1)) edge[y * width + x] = 1;
    }
  }
  return edge;
}

export interface DecodedMask {
  width: number;
  height: number;
  /** 1 = inside the blob, row-major. */
  mask: Uint8Array;
}

/** Decode the stored PNG (gray 0/255) in the page. */
export async function decodeMask(png: Uint8Array): Promise<DecodedMask> {
  const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i * 4]! >= 128 ? 1 : 0;
  return { width, height, mask };
}

/** Paint the mask's edge into `canvas` (sized to the mask; everything else transparent). */
export function paintOutline(canvas: HTMLCanvasElement, decoded: DecodedMask): void {
  const { width, height } = decoded;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx || width === 0 || height === 0) return;
  const image = ctx.createImageData(width, height);
  const edge = maskEdge(decoded.mask, width, height);
  for (let i = 0; i < edge.length; i++) {
    if (edge[i] === 0) continue;
    image.data.set(OUTLINE_RGBA, i * 4);
  }
  ctx.putImageData(image, 0, 0);
}
