/**
 * A fling: the mosaic moving faster than anyone reads it. While it lasts, rows coming into view are mounted without
 * their tile elements (the canvas draws their pixels and marks, lib/tile-marks.ts); they get them when the view slows
 * or stops. Mounting an element per tile was nearly all of a fast scroll's cost through small images: a day of
 * 100 bins at 21 screens/s brings ~85 tiles into view per frame, and their style, layout and commit dropped 34–84 of
 * ~1,100 frames on a 2-core machine; without them, 2.
 */

/** Faster than this many screen heights a second is a fling (reading while scrolling stays well below it). */
export const FLING_SCREENS_PER_SECOND = 4;
/** Two scroll events further apart than this make no speed: a jump (End, a scrollbar click, a scripted scroll). */
export const FLING_SAMPLE_MS = 100;
/** A fling ends this long after the last scroll event. */
export const FLING_SETTLE_MS = 150;

/** Where the view was at a scroll event: `performance.now()` ms, scrollTop px. */
export interface ScrollSample {
  time: number;
  top: number;
}

/**
 * What a scroll event says about the view's speed: `true` a fling, `false` slower than one (or a jump), `null` nothing
 * (two events at one instant).
 */
export function flingFrom(previous: ScrollSample | null, now: ScrollSample, viewportHeight: number): boolean | null {
  if (!previous) return false;
  const dt = now.time - previous.time;
  if (dt <= 0) return null;
  if (dt > FLING_SAMPLE_MS) return false;
  const pxPerSecond = (Math.abs(now.top - previous.top) / dt) * 1000;
  return pxPerSecond > FLING_SCREENS_PER_SECOND * Math.max(1, viewportHeight);
}

/**
 * The rows whose tiles are mounted: every row on screen while the view is not flinging; during a fling only those
 * that already had them (a row never loses its tiles while it stays in view, so nothing on screen blinks).
 */
export function dressedRows<K>(rows: readonly K[], flinging: boolean, dressedBefore: ReadonlySet<K>): Set<K> {
  const out = new Set<K>();
  for (const key of rows) if (!flinging || dressedBefore.has(key)) out.add(key);
  return out;
}
