import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrangeImages, keyValues, sortKeyOptions } from '../../../shared/mosaic/arrange.ts';

// Four images of a five-row bin (target 3 has no image); adc values are per image.
const table = {
  count: 4,
  target: [1, 2, 4, 5],
  width: [34, 170, 68, 10],
  height: [68, 20, 68, 12],
  adcColumns: ['TRIGGER', 'PMT_A', 'ROI_WIDTH'],
  adc: {
    TRIGGER: [1, 2, 4, 5],
    PMT_A: [0.5, 0.1, 0.1, NaN],
    ROI_WIDTH: [34, 170, 68, 10],
  },
};
const targets = (order: Int32Array) => [...order].map((i) => table.target[i]!);

test('default order is target order', () => {
  assert.deepEqual(targets(arrangeImages(table)), [1, 2, 4, 5]);
});

test('sort by width, area, and descending; ties fall back to target order', () => {
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'width' } })), [5, 1, 4, 2]);
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'area', descending: true } })), [4, 2, 1, 5]);
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'height', descending: true } })), [1, 4, 2, 5]);
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'target', descending: true } })), [5, 4, 2, 1]);
});

test('sort by an ADC column; NaN sorts last both ways', () => {
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'adc:PMT_A' } })), [2, 4, 1, 5]);
  assert.deepEqual(targets(arrangeImages(table, { sort: { key: 'adc:PMT_A', descending: true } })), [1, 2, 4, 5]);
  assert.deepEqual([...keyValues(table, 'adc:NOPE')].map(Number.isNaN), [true, true, true, true]);
});

test('size filter in µm uses the longest side (3.4 px/µm default)', () => {
  // longest sides: 68 px = 20 µm, 170 px = 50 µm, 68 px = 20 µm, 12 px ≈ 3.5 µm
  assert.deepEqual(targets(arrangeImages(table, { sizeUm: { min: 20, max: 49.9 } })), [1, 4]);
  assert.deepEqual(targets(arrangeImages(table, { sizeUm: { min: 20 }, sort: { key: 'width', descending: true } })), [2, 4, 1]);
  assert.deepEqual(targets(arrangeImages(table, { sizeUm: { max: 10 } })), [5]);
  assert.deepEqual(targets(arrangeImages(table, { sizeUm: { min: 10.5 }, pxPerUm: 6.8 })), [2]);
});

test('column range filter', () => {
  assert.deepEqual(targets(arrangeImages(table, { column: { key: 'adc:PMT_A', max: 0.2 } })), [2, 4]);
});

test('sort keys: image geometry, then every ADC column by name', () => {
  assert.deepEqual(sortKeyOptions(table).map((o) => o.key), ['target', 'width', 'height', 'area', 'adc:TRIGGER', 'adc:PMT_A', 'adc:ROI_WIDTH']);
});

test('target order is kept (not re-sorted) when the table is already in target order, and fixed when not', () => {
  const shuffled = { count: 3, target: [5, 2, 9], width: [1, 1, 1], height: [1, 1, 1] };
  assert.deepEqual([...arrangeImages(shuffled)], [1, 0, 2]);
  assert.deepEqual([...arrangeImages(table)], [0, 1, 2, 3]);
});
