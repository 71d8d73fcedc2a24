/** The ROI view's exact zoom: whole multiples of camera pixels up to 8 ×, whole fractions when the image is larger. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactZoom } from '../../../renderer/components/roi-view.tsx';

test('the largest whole zoom that fits, at most 8 ×; 1/n when the image is larger than the room', () => {
  assert.equal(exactZoom(42, 41, { width: 400, height: 400 }), 8);
  assert.equal(exactZoom(100, 50, { width: 350, height: 400 }), 3);
  assert.equal(exactZoom(100, 50, { width: 100, height: 50 }), 1);
  assert.equal(exactZoom(818, 200, { width: 400, height: 400 }), 1 / 3);
  assert.equal(exactZoom(1380, 1034, { width: 700, height: 520 }), 1 / 2);
  assert.equal(exactZoom(0, 10, { width: 100, height: 100 }), 1);
  assert.equal(exactZoom(10, 10, { width: 0, height: 0 }), 1);
});
