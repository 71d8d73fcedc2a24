/**
 * The mosaic's scale bar: a round length in µm whose drawn length is exact at the current zoom.
 * IFCB optics give ~3.4 camera px per µm (configurable per instrument).
 */

/** Camera pixels per micrometre when an instrument has no calibration of its own. */
export const DEFAULT_PX_PER_UM = 3.4;
/** Bounds of an instrument's calibration in camera pixels per micrometre (IFCBs are near 3.4). */
export const MIN_PX_PER_UM = 0.01;
export const MAX_PX_PER_UM = 1000;

export interface ScaleBar {
  /** The bar's length in micrometres (1, 2, 5 × 10^k). */
  micrometres: number;
  /** Its drawn length in CSS px: micrometres × pxPerUm × zoom, unrounded. */
  pixels: number;
  label: string;
}

/** Round lengths tried, ascending: 0.1, 0.2, 0.5, 1, 2, 5 … 500 000 µm. */
const LENGTHS_UM: readonly number[] = Array.from({ length: 7 }, (_, i) => i - 1).flatMap((exp) => [1, 2, 5].map((step) => Number((step * 10 ** exp).toPrecision(3))));

/**
 * The longest round length whose drawn length fits in `maxPixels` (default 160 CSS px); the
 * shortest one tried (0.1 µm) if even that is too long.
 */
export function scaleBar(zoom: number, pxPerUm: number = DEFAULT_PX_PER_UM, maxPixels = 160): ScaleBar {
  if (!(zoom > 0) || !(pxPerUm > 0)) throw new RangeError('zoom and pxPerUm must be > 0');
  const perUm = pxPerUm * zoom;
  let best = LENGTHS_UM[0]!;
  for (const um of LENGTHS_UM) if (um * perUm <= maxPixels) best = um;
  const micrometres = best;
  return { micrometres, pixels: micrometres * perUm, label: `${micrometres} µm` };
}

/** Size of `px` camera pixels in µm. */
export function pxToUm(px: number, pxPerUm: number = DEFAULT_PX_PER_UM): number {
  return px / pxPerUm;
}

/** Format a µm value for display: one decimal below 100 µm, whole numbers above. */
export function formatUm(um: number): string {
  return um < 100 ? um.toFixed(1) : um.toFixed(0);
}
