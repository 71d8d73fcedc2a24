/**
 * Gray → RGBA as the sheet worker fills each image's bitmap: every gray level exactly, opaque, R = G = B.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grayToRgba } from '../../../renderer/lib/paint.ts';

test('every gray level becomes the opaque RGBA pixel (v, v, v, 255), byte for byte', () => {
  const pixels = Uint8Array.from({ length: 256 }, (_, v) => 255 - v);
  const words = new Uint32Array(256);
  grayToRgba(pixels, words);
  const bytes = new Uint8Array(words.buffer);
  for (let i = 0; i < 256; i++) assert.deepEqual([...bytes.subarray(4 * i, 4 * i + 4)], [255 - i, 255 - i, 255 - i, 255]);
});

test('writes no further than the shorter of the two', () => {
  const words = new Uint32Array(4).fill(7);
  grayToRgba(Uint8Array.from([1, 2]), words);
  assert.deepEqual([...words.subarray(2)], [7, 7]);
  const short = new Uint32Array(1);
  grayToRgba(Uint8Array.from([9, 9, 9]), short);
  assert.equal(new Uint8Array(short.buffer)[0], 9);
});
