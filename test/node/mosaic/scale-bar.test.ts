import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUm, pxToUm, scaleBar } from '../../../shared/mosaic/scale-bar.ts';

test('scale bar at 100 %: 20 µm drawn 68 px (3.4 px/µm)', () => {
  assert.deepEqual(scaleBar(1), { micrometres: 20, pixels: 68, label: '20 µm' });
});

test('scale bar stays exact under zoom', () => {
  assert.deepEqual(scaleBar(2), { micrometres: 20, pixels: 136, label: '20 µm' });
  assert.deepEqual(scaleBar(0.5), { micrometres: 50, pixels: 85, label: '50 µm' });
  assert.deepEqual(scaleBar(0.25), { micrometres: 100, pixels: 85, label: '100 µm' });
  assert.deepEqual(scaleBar(4), { micrometres: 10, pixels: 136, label: '10 µm' });
  const b = scaleBar(3);
  assert.equal(b.micrometres, 10);
  assert.ok(Math.abs(b.pixels - 102) < 1e-9);
});

test('scale bar below 1 µm when magnified far; the shortest (0.1 µm) when even that is too long', () => {
  // 100 px per µm: 1 µm = 100 px fits 160 px, 2 µm does not.
  assert.deepEqual(scaleBar(1, 100), { micrometres: 1, pixels: 100, label: '1 µm' });
  // 1000 px per µm: only 0.1 µm (100 px) fits.
  assert.deepEqual(scaleBar(1, 1000), { micrometres: 0.1, pixels: 100, label: '0.1 µm' });
  // 4000 px per µm: nothing fits; the shortest length, not 1 µm.
  assert.deepEqual(scaleBar(1, 4000), { micrometres: 0.1, pixels: 400, label: '0.1 µm' });
  assert.deepEqual(scaleBar(1, 2000, 100), { micrometres: 0.1, pixels: 200, label: '0.1 µm' });
});

test('scale bar at the far end: the longest length tried (500 000 µm)', () => {
  assert.deepEqual(scaleBar(1e-6, 1, 1), { micrometres: 500_000, pixels: 0.5, label: '500000 µm' });
});

test('scale bar follows a per-instrument calibration', () => {
  assert.deepEqual(scaleBar(1, 2.77), { micrometres: 50, pixels: 138.5, label: '50 µm' });
});

test('µm conversions', () => {
  assert.equal(pxToUm(68), 20);
  assert.equal(formatUm(12.345), '12.3');
  assert.equal(formatUm(123.4), '123');
});
