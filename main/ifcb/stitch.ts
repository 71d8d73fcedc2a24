/**
 * Schema-1 stitching and infill (pyifcb `ifcb.data.stitching`: `Stitcher`, `infill_image`,
 * `InfilledImages`; spec §5). Old instruments sometimes split one particle into two overlapping ROIs
 * of the same trigger; pyifcb joins them into the union box and fills the gap with a flat grey.
 */
import { IfcbError } from '../../shared/errors.ts';
import { roiColumnIndex } from './adc.ts';
import type { AdcTable } from './types.ts';

/** A stitched ROI: `target` keeps its number, `partner` (the next image row) disappears; the union box. */
export interface StitchPair {
  target: number;
  partner: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One part of a stitched ROI: its box in the camera frame and its `height` rows of `width` pixels. */
export interface StitchPart {
  x: number;
  y: number;
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** A composite before infill: pixels are 0 where `missing` is 1. */
export interface RawStitch {
  width: number;
  height: number;
  pixels: Uint8Array;
  missing: Uint8Array;
}

/** pyifcb `overlap_thresh`: boxes must overlap by more than this many pixels on both axes. */
const OVERLAP_THRESHOLD = 2;

/**
 * The stitchable pairs of a bin (pyifcb `Stitcher.coordinates`): each image row (ROI_WIDTH != 0) is
 * paired with the next image row; pairs with the same TRIGGER whose boxes overlap by > 2 px on both
 * axes are kept. Call it for schema 1 only (pyifcb never stitches schema 2). As in pyifcb, a run of
 * three overlapping parts yields two pairs (n, n+1) and (n+1, n+2): every partner is dropped from the
 * image list, and `partner` is the actual next image row (pyifcb reads `n+1`, the same when no
 * zero-width row lies between them).
 */
export function findStitchPairs(adc: AdcTable): StitchPair[] {
  const ix = roiColumnIndex(adc.schema);
  const trig = adc.column(ix.trigger);
  const xs = adc.column(ix.x);
  const ys = adc.column(ix.y);
  const ws = adc.column(ix.width);
  const hs = adc.column(ix.height);
  const pairs: StitchPair[] = [];
  let prev = -1;
  for (let i = 0; i < adc.rowCount; i++) {
    if (ws[i] === 0) continue; // zero-width rows are dropped before pairing
    if (prev >= 0) {
      const a = prev;
      const b = i;
      const ax1 = xs[a]!;
      const ay1 = ys[a]!;
      const ax2 = ax1 + ws[a]!;
      const ay2 = ay1 + hs[a]!;
      const bx1 = xs[b]!;
      const by1 = ys[b]!;
      const bx2 = bx1 + ws[b]!;
      const by2 = by1 + hs[b]!;
      if (
        trig[a] === trig[b] &&
        ax1 < bx2 - OVERLAP_THRESHOLD &&
        ax2 > bx1 + OVERLAP_THRESHOLD &&
        ay1 < by2 - OVERLAP_THRESHOLD &&
        ay2 > by1 + OVERLAP_THRESHOLD
      ) {
        const sx1 = Math.min(ax1, bx1);
        const sy1 = Math.min(ay1, by1);
        pairs.push({
          target: a + 1,
          partner: b + 1,
          x: sx1,
          y: sy1,
          width: Math.max(ax2, bx2) - sx1,
          height: Math.max(ay2, by2) - sy1,
        });
      }
    }
    prev = i;
  }
  return pairs;
}

function checkPart(part: StitchPart, which: string, pair: StitchPair): void {
  const ok =
    Number.isInteger(part.width) &&
    Number.isInteger(part.height) &&
    part.width > 0 &&
    part.height > 0 &&
    part.pixels.length === part.width * part.height &&
    part.x >= pair.x &&
    part.y >= pair.y &&
    part.x + part.width <= pair.x + pair.width &&
    part.y + part.height <= pair.y + pair.height;
  if (!ok) {
    throw new IfcbError(
      'ROI_INVALID_GEOMETRY',
      `the ${which} part of stitched ROI ${pair.target} (${part.width}×${part.height} at ${part.x},${part.y}, ${part.pixels.length} pixels) does not fit its ${pair.width}×${pair.height} box at ${pair.x},${pair.y}`,
      { target: pair.target, partner: pair.partner },
    );
  }
}

/** The composite of spec §5 step 4 (pyifcb `Stitcher[n]`): paste `first`, then `second` over it; the rest is missing. */
export function rawStitch(pair: StitchPair, first: StitchPart, second: StitchPart): RawStitch {
  checkPart(first, 'first', pair);
  checkPart(second, 'second', pair);
  const { width, height } = pair;
  const pixels = new Uint8Array(width * height);
  const missing = new Uint8Array(width * height).fill(1);
  for (const part of [first, second]) {
    const dx = part.x - pair.x;
    const dy = part.y - pair.y;
    for (let r = 0; r < part.height; r++) {
      const at = (dy + r) * width + dx;
      pixels.set(part.pixels.subarray(r * part.width, (r + 1) * part.width), at);
      missing.fill(0, at, at + part.width);
    }
  }
  return { width, height, pixels, missing };
}

/** Round half to even (numpy `round` / Python `round` on a float). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Infill of spec §5 step 5 (pyifcb `infill_image`): M = missing; D = M dilated by the 4-neighbour cross
 * (outside = not missing); B = pixels of D with fewer than 4 of their 4 neighbours in D (outside counts
 * as not in D); B's column 1→0, column w-2→w-1, row 1→0, row h-2→h-1 are copied in that order; every
 * missing pixel gets round-half-even(mean of the real pixels under B), or 0 when B is empty.
 * Returns a new image and the fill value (`null` when nothing was missing).
 */
export function infill(raw: RawStitch): { pixels: Uint8Array; fill: number | null } {
  const { width: w, height: h, missing } = raw;
  const out = raw.pixels.slice();
  if (!missing.includes(1)) return { pixels: out, fill: null };
  const at = (m: Uint8Array, r: number, c: number): number => (r >= 0 && r < h && c >= 0 && c < w ? m[r * w + c]! : 0);
  const dilated = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      dilated[r * w + c] = at(missing, r, c) | at(missing, r - 1, c) | at(missing, r + 1, c) | at(missing, r, c - 1) | at(missing, r, c + 1);
    }
  }
  const boundary = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (dilated[r * w + c] === 0) continue;
      const inD = at(dilated, r - 1, c) + at(dilated, r + 1, c) + at(dilated, r, c - 1) + at(dilated, r, c + 1);
      boundary[r * w + c] = inD < 4 ? 1 : 0;
    }
  }
  // pyifcb `chop_boundary_edges` (numpy would fail for a 1-pixel-wide image; we skip the copy instead).
  if (w >= 2) {
    for (let r = 0; r < h; r++) boundary[r * w] = boundary[r * w + 1]!;
    for (let r = 0; r < h; r++) boundary[r * w + w - 1] = boundary[r * w + w - 2]!;
  }
  if (h >= 2) {
    boundary.copyWithin(0, w, 2 * w);
    boundary.copyWithin((h - 1) * w, (h - 2) * w, (h - 1) * w);
  }
  let sum = 0;
  let count = 0;
  let any = false;
  for (let i = 0; i < w * h; i++) {
    if (boundary[i] === 0) continue;
    any = true;
    if (missing[i] === 0) {
      sum += out[i]!;
      count++;
    }
  }
  // The mean ignores masked pixels (numpy masked mean); with B empty pyifcb fills 0. With B holding no
  // real pixel pyifcb raises (masked mean); 0 is the sensible reading of that.
  const fill = any && count > 0 ? roundHalfEven(sum / count) : 0;
  for (let i = 0; i < w * h; i++) if (missing[i] === 1) out[i] = fill;
  return { pixels: out, fill };
}

/** A stitched + infilled ROI (pyifcb `InfilledImages[n]`): `pair.height` rows of `pair.width` pixels. */
export function stitchPixels(pair: StitchPair, first: StitchPart, second: StitchPart): Uint8Array {
  return infill(rawStitch(pair, first, second)).pixels;
}
