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

test('scale bar follows a per-instrument calibration', () => {
  assert.deepEqual(scaleBar(1, 2.77), { micrometres: 50, pixels: 138.5, label: '50 µm' });
});

test('µm conversions', () => {
  assert.equal(pxToUm(68), 20);
  assert.equal(formatUm(12.345), '12.3');
  assert.equal(formatUm(123.4), '123');
});
