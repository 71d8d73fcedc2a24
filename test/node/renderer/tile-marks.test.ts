/**
 * The marks the canvas draws for tiles without an element sit exactly where the tiles' CSS draws them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHIP_BAR, drawTileMarks } from '../../../renderer/lib/tile-marks.ts';
import type { MarkContext, TileMarks } from '../../../renderer/lib/tile-marks.ts';

const COLOURS = { accent: '#0a66d8', focusRing: '#6aa6ff', danger: '#c4312b' };

/** A context that records what is drawn, with the style in force at each call. */
function recorder() {
  const calls: string[] = [];
  let dash: number[] = [];
  const ctx: MarkContext = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    fillRect: (x, y, w, h) => calls.push(`fill ${String(ctx.fillStyle)} ${x},${y} ${w}×${h}`),
    strokeRect: (x, y, w, h) => calls.push(`stroke ${String(ctx.strokeStyle)}/${ctx.lineWidth}${dash.length ? ` dash ${dash.join(' ')}` : ''} ${x},${y} ${w}×${h}`),
    setLineDash: (segments) => {
      dash = [...segments];
    },
    beginPath: () => calls.push('path'),
    arc: (x, y, r) => calls.push(`arc ${x},${y} r${r}`),
    moveTo: (x, y) => calls.push(`move ${x},${y}`),
    lineTo: (x, y) => calls.push(`line ${x},${y}`),
    fill: () => calls.push(`fill ${String(ctx.fillStyle)}`),
    stroke: () => calls.push(`stroke ${String(ctx.strokeStyle)}/${ctx.lineWidth}`),
  };
  return { ctx, calls, dash: () => dash };
}

const NONE: TileMarks = { selected: false, focused: false, chip: null };

test('nothing to mark draws nothing', () => {
  const r = recorder();
  drawTileMarks(r.ctx, 10, 20, 30, 40, NONE, COLOURS);
  assert.deepEqual(r.calls, []);
});

/** The ✓ badge of a tile whose top-right corner is (right, top): CSS top: 3px; right: 3px; 16 × 16, ring 1.5 px. */
const badge = (right: number, top: number) => {
  const cx = right - 3 - 8;
  const cy = top + 3 + 8;
  return ['path', `arc ${cx},${cy} r8.75`, 'stroke rgba(255, 255, 255, 0.85)/1.5', 'path', `arc ${cx},${cy} r8`, 'fill #0a66d8', 'path', `move ${cx - 3.5},${cy + 0.5}`, `line ${cx - 1},${cy + 3}`, `line ${cx + 3.5},${cy - 2.5}`, 'stroke #fff/2'];
};

test('selected: a 2 px border just outside the tile (CSS inset: -2px; border: 2px) and the ✓ badge in its corner', () => {
  const r = recorder();
  drawTileMarks(r.ctx, 10, 20, 30, 40, { ...NONE, selected: true }, COLOURS);
  // the stroke's centre line 1 px out covers 9…11 px out of 10 → exactly the two pixels before the tile
  assert.deepEqual(r.calls, ['stroke #0a66d8/2 9,19 32×42', ...badge(40, 20)]);
});

test('focused: a 2 px dashed ring 2 px further out (CSS outline-offset: 2px), the dash reset after', () => {
  const r = recorder();
  drawTileMarks(r.ctx, 10, 20, 30, 40, { ...NONE, focused: true }, COLOURS);
  assert.deepEqual(r.calls, ['stroke #6aa6ff/2 dash 4 3 7,17 36×46']);
  assert.deepEqual(r.dash(), []);
});

test('a class chip is a colour bar along the bottom edge, never taller than the tile', () => {
  const r = recorder();
  drawTileMarks(r.ctx, 10, 20, 30, 40, { ...NONE, chip: { colour: '#abcdef', differs: false } }, COLOURS);
  assert.deepEqual(r.calls, [`fill #abcdef 10,${20 + 40 - CHIP_BAR} 30×${CHIP_BAR}`]);
  const tiny = recorder();
  drawTileMarks(tiny.ctx, 0, 0, 5, 2, { ...NONE, chip: { colour: '#abcdef', differs: false } }, COLOURS);
  assert.deepEqual(tiny.calls, ['fill #abcdef 0,0 5×2']);
});

test('a label that differs from the classifier adds a 1 px line in the danger colour at the bar\'s foot', () => {
  const r = recorder();
  drawTileMarks(r.ctx, 10, 20, 30, 40, { selected: true, focused: true, chip: { colour: '#abcdef', differs: true } }, COLOURS);
  assert.deepEqual(r.calls, ['fill #abcdef 10,56 30×4', 'fill #c4312b 10,59 30×1', 'stroke #0a66d8/2 9,19 32×42', ...badge(40, 20), 'stroke #6aa6ff/2 dash 4 3 7,17 36×46']);
});
