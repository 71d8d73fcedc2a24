/**
 * Mosaic packing speed (shared/mosaic/layout.ts), moved here from the unit tests where a wall-clock limit
 * was flaky: 100,000 tiles in both modes, against one bare left-to-right shelf pass over the same sizes
 * (the least work any packer must do).
 */
import type { Bench } from './harness.ts';
import { fmt, timeMedian } from './harness.ts';
import { layoutMosaic } from '../../shared/mosaic/layout.ts';

export const title = 'Mosaic layout (100,000 tiles)';

const TILES = 100_000;
const WIDTH = 1200;

/** The baseline: place each tile on the current shelf or start a new one; no row objects, no justify. */
function shelfPass(sizes: readonly { width: number; height: number }[]): number {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const s of sizes) {
    if (x > 0 && x + s.width > WIDTH) {
      y += rowHeight + 3;
      x = 0;
      rowHeight = 0;
    }
    x += s.width + 3;
    rowHeight = Math.max(rowHeight, s.height);
  }
  return y + rowHeight;
}

export async function run(bench: Bench): Promise<void> {
  const sizes = Array.from({ length: TILES }, (_, i) => ({ width: 16 + ((i * 37) % 240), height: 16 + ((i * 53) % 240) }));
  const base = await timeMedian(() => shelfPass(sizes), 9, 3);
  for (const mode of ['true-scale', 'fit-rows'] as const) {
    const ms = await timeMedian(() => layoutMosaic(sizes, { width: WIDTH, mode }), 9, 3);
    bench.figure({
      name: `layoutMosaic ${mode}`,
      ratio: ms / base,
      detail: `${fmt(ms, 1)} ms vs ${fmt(base, 2)} ms for a bare shelf pass (median of 9)`,
      target: '< 100 ms',
      met: ms < 100,
    });
  }
}
