/**
 * Spec §4: the iRfcb reference PNG of C ROI 3 confirms width/height order and row-major layout.
 * It was written min–max stretched, so the stretch is applied to our raw pixels before comparing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { SAMPLE } from '../../helpers/data.ts';
import { openBin } from '../../../main/ifcb/bin.ts';

test('D20220522T003051_IFCB134_00003.png = round(255·(raw − 28)/(255 − 28)) for all 16,416 pixels', () => {
  const png = decode(readFileSync(SAMPLE.referencePng));
  assert.deepEqual([png.width, png.height, png.channels, png.depth], [144, 114, 1, 8]);
  const im = openBin(SAMPLE.C).images.get(3);
  assert.deepEqual([im.width, im.height], [144, 114]);
  let min = 255;
  let max = 0;
  for (const v of im.pixels) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.deepEqual([min, max], [28, 255]);
  let mismatches = 0;
  let identical = 0;
  for (let i = 0; i < im.pixels.length; i++) {
    const stretched = Math.round((255 * (im.pixels[i]! - min)) / (max - min));
    if (png.data[i] !== stretched) mismatches++;
    if (png.data[i] === im.pixels[i]) identical++;
  }
  assert.equal(im.pixels.length, 16_416);
  assert.equal(mismatches, 0);
  assert.equal(identical, 20); // the PNG is not raw: only 20 pixels coincide
  // a transposed reading (114 rows of 144 read as 144 rows of 114) would not match
  let transposedMismatches = 0;
  for (let r = 0; r < 114; r++) {
    for (let c = 0; c < 144; c++) {
      const t = im.pixels[c * 114 + (r % 114)]!;
      if (png.data[r * 144 + c] !== Math.round((255 * (t - min)) / (max - min))) transposedMismatches++;
    }
  }
  assert.ok(transposedMismatches > 10_000);
});
