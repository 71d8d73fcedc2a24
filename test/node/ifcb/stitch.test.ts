/**
 * Schema-1 stitching and infill (spec §5) on the real pair of IFCB5_2012_028_081515 (targets 3 + 4),
 * pairing rules on synthetic tables, and the infill against pyifcb's numpy/scipy `infill_image`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { SAMPLE } from '../../helpers/data.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { parseAdc, roiColumnIndex } from '../../../main/ifcb/adc.ts';
import { findStitchPairs, infill, rawStitch, stitchPixels, type StitchPart } from '../../../main/ifcb/stitch.ts';
import type { AdcTable } from '../../../main/ifcb/types.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** One raw ROI read straight from the .roi at its START_BYTE (height rows of width pixels). */
function part(adc: AdcTable, roiPath: string, target: number): StitchPart {
  const ix = roiColumnIndex(adc.schema);
  const row = adc.row(target);
  const width = row[ix.width]!;
  const height = row[ix.height]!;
  const pixels = new Uint8Array(width * height);
  const fd = openSync(roiPath, 'r');
  try {
    assert.equal(readSync(fd, pixels, 0, pixels.length, row[ix.startByte]!), pixels.length);
  } finally {
    closeSync(fd);
  }
  return { x: row[ix.x]!, y: row[ix.y]!, width, height, pixels };
}

describe('the sample pair: IFCB5_2012_028_081515 targets 3 + 4', () => {
  const adc = parseAdc(readFileSync(`${SAMPLE.A}.adc`), 1);

  test('findStitchPairs: 3 + 4 → union box 263 × 86 at (210, 432); also on the partial copy; none in empty bins', () => {
    const expected = [{ target: 3, partner: 4, x: 210, y: 432, width: 263, height: 86 }];
    assert.deepEqual(findStitchPairs(adc), expected);
    assert.deepEqual(findStitchPairs(parseAdc(readFileSync(`${SAMPLE.E}.adc`), 1)), expected);
    assert.deepEqual(findStitchPairs(parseAdc(readFileSync(`${SAMPLE.emptyV1}.adc`), 1)), []);
  });

  test('raw stitch: the rows 23–26 × columns 177–182 pyifcb checks (0 = missing)', () => {
    const [pair] = findStitchPairs(adc);
    const raw = rawStitch(pair!, part(adc, `${SAMPLE.A}.roi`, 3), part(adc, `${SAMPLE.A}.roi`, 4));
    assert.equal(raw.width, 263);
    assert.equal(raw.height, 86);
    const block = [23, 24, 25, 26].map((r) => [...raw.pixels.subarray(r * 263 + 177, r * 263 + 183)]);
    assert.deepEqual(block, [
      [205, 204, 205, 0, 0, 0],
      [202, 203, 206, 0, 0, 0],
      [205, 206, 205, 204, 202, 202],
      [204, 202, 205, 203, 202, 204],
    ]);
    assert.deepEqual([...raw.missing.subarray(23 * 263 + 177, 23 * 263 + 183)], [0, 0, 0, 1, 1, 1]);
  });

  test('infilled: 86 × 263, fill 203, sum 4604363, SHA-256 as pyifcb', () => {
    const [pair] = findStitchPairs(adc);
    const first = part(adc, `${SAMPLE.A}.roi`, 3);
    const second = part(adc, `${SAMPLE.A}.roi`, 4);
    const { pixels, fill } = infill(rawStitch(pair!, first, second));
    assert.equal(fill, 203);
    assert.equal(pixels.length, 86 * 263);
    assert.equal(pixels.reduce((s, v) => s + v, 0), 4604363);
    assert.equal(sha(pixels), '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
    assert.deepEqual(stitchPixels(pair!, first, second), pixels);
    assert.deepEqual([...pixels.subarray(23 * 263 + 177, 23 * 263 + 183)], [205, 204, 205, 203, 203, 203]);
  });

  test('parts that do not fit the box are ROI_INVALID_GEOMETRY', () => {
    const [pair] = findStitchPairs(adc);
    const first = part(adc, `${SAMPLE.A}.roi`, 3);
    const second = part(adc, `${SAMPLE.A}.roi`, 4);
    for (const bad of [{ ...second, x: second.x + 200 }, { ...second, pixels: second.pixels.subarray(1) }, { ...second, width: 0 }]) {
      assert.throws(() => stitchPixels(pair!, first, bad), (e: unknown) => e instanceof IfcbError && e.code === 'ROI_INVALID_GEOMETRY');
    }
  });
});

/** A schema-1 ADC row: trigger, x, y, width, height (start byte = row number). */
function v1(rows: ReadonlyArray<readonly [number, number, number, number, number]>): AdcTable {
  const text = rows.map(([t, x, y, w, h], i) => `${t},0,0,0,0,0,0,0,0,${x},${y},${w},${h},${i + 1},0,`).join('\n');
  return parseAdc(new TextEncoder().encode(text), 1);
}

describe('pairing rules (pyifcb Stitcher.coordinates)', () => {
  test('same trigger and overlap > 2 px on both axes; exactly 2 px is not enough', () => {
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [1, 7, 7, 10, 10]])), [{ target: 1, partner: 2, x: 0, y: 0, width: 17, height: 17 }]);
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [1, 8, 0, 10, 10]])), []); // x overlap 2
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [1, 0, 8, 10, 10]])), []); // y overlap 2
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [1, -7, -7, 10, 10]])), [{ target: 1, partner: 2, x: -7, y: -7, width: 17, height: 17 }]);
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [2, 1, 1, 10, 10]])), []); // different trigger
  });

  test('pairs are adjacent image rows: zero-width rows are skipped, not looked up by trigger', () => {
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [1, 0, 0, 0, 0], [1, 3, 3, 10, 10]])), [{ target: 1, partner: 3, x: 0, y: 0, width: 13, height: 13 }]);
    // Row 1 and row 3 share a trigger but row 2 (another trigger) sits between them: no pair.
    assert.deepEqual(findStitchPairs(v1([[1, 0, 0, 10, 10], [2, 50, 50, 10, 10], [1, 3, 3, 10, 10]])), []);
  });

  test('three overlapping parts give two chained pairs, as in pyifcb', () => {
    assert.deepEqual(
      findStitchPairs(v1([[4, 0, 0, 10, 10], [4, 5, 5, 10, 10], [4, 10, 10, 10, 10]])).map((p) => [p.target, p.partner]),
      [
        [1, 2],
        [2, 3],
      ],
    );
  });
});

// Expected outputs from pyifcb's infill_image (numpy + scipy.ndimage.correlate) on the same inputs.
const INFILL_CASES: ReadonlyArray<{ width: number; height: number; pixels: number[]; missing: number[]; fill: number; out: number[] }> = [
  { width: 5, height: 4, pixels: [34, 32, 204, 127, 151, 153, 182, 0, 0, 37, 102, 237, 0, 0, 138, 33, 193, 242, 250, 159], missing: [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0], fill: 121, out: [34, 32, 204, 127, 151, 153, 182, 121, 121, 37, 102, 237, 121, 121, 138, 33, 193, 242, 250, 159] },
  { width: 4, height: 5, pixels: [222, 0, 37, 130, 113, 169, 0, 70, 219, 0, 89, 0, 0, 171, 117, 0, 240, 0, 214, 0], missing: [0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1], fill: 168, out: [222, 168, 37, 130, 113, 169, 168, 70, 219, 168, 89, 168, 168, 171, 117, 168, 240, 168, 214, 168] },
  { width: 6, height: 3, pixels: [156, 8, 44, 51, 113, 88, 186, 120, 0, 0, 160, 178, 190, 86, 0, 0, 78, 40], missing: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0], fill: 117, out: [156, 8, 44, 51, 113, 88, 186, 120, 117, 117, 160, 178, 190, 86, 117, 117, 78, 40] },
  { width: 6, height: 6, pixels: [1, 255, 22, 117, 209, 176, 219, 13, 127, 8, 49, 216, 18, 150, 5, 79, 238, 81, 79, 22, 198, 0, 0, 0, 5, 214, 2, 0, 0, 0, 165, 189, 252, 0, 0, 0], missing: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1], fill: 142, out: [1, 255, 22, 117, 209, 176, 219, 13, 127, 8, 49, 216, 18, 150, 5, 79, 238, 81, 79, 22, 198, 142, 142, 142, 5, 214, 2, 142, 142, 142, 165, 189, 252, 142, 142, 142] },
  { width: 3, height: 3, pixels: [36, 153, 222, 229, 0, 6, 106, 206, 135], missing: [0, 0, 0, 0, 1, 0, 0, 0, 0], fill: 0, out: [36, 153, 222, 229, 0, 6, 106, 206, 135] },
  { width: 7, height: 5, pixels: [48, 0, 23, 178, 4, 92, 75, 240, 186, 0, 126, 0, 218, 242, 55, 62, 0, 122, 0, 103, 0, 0, 240, 0, 87, 239, 0, 198, 0, 255, 0, 0, 0, 27, 17], missing: [0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0], fill: 156, out: [48, 156, 23, 178, 4, 92, 75, 240, 186, 156, 126, 156, 218, 242, 55, 62, 156, 122, 156, 103, 156, 156, 240, 156, 87, 239, 156, 198, 156, 255, 156, 156, 156, 27, 17] },
  { width: 9, height: 3, pixels: [0, 83, 127, 164, 35, 90, 23, 33, 57, 0, 232, 101, 27, 233, 145, 29, 21, 22, 0, 143, 174, 246, 102, 232, 103, 179, 211], missing: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0], fill: 153, out: [153, 83, 127, 164, 35, 90, 23, 33, 57, 153, 232, 101, 27, 233, 145, 29, 21, 22, 153, 143, 174, 246, 102, 232, 103, 179, 211] },
];

describe('infill (pyifcb infill_image)', () => {
  test(`${INFILL_CASES.length} small images agree with numpy/scipy`, () => {
    for (const c of INFILL_CASES) {
      const r = infill({ width: c.width, height: c.height, pixels: Uint8Array.from(c.pixels), missing: Uint8Array.from(c.missing) });
      assert.equal(r.fill, c.fill, `${c.width}×${c.height}`);
      assert.deepEqual([...r.pixels], c.out, `${c.width}×${c.height}`);
    }
  });

  test('boundary mean rounds half to even; nothing missing → fill null, pixels unchanged', () => {
    // 7×7, centre missing: B is the 4 arms of the cross (the centre has 4 neighbours in D; the edge
    // copies bring nothing in), so the fill is the rounded mean of the 4 arm pixels.
    const fillFor = (arms: readonly number[]): number | null => {
      const pixels = new Uint8Array(49).fill(9);
      const missing = new Uint8Array(49);
      missing[24] = 1;
      pixels[24] = 0;
      [17, 31, 23, 25].forEach((i, k) => (pixels[i] = arms[k]!));
      const r = infill({ width: 7, height: 7, pixels, missing });
      assert.equal(r.pixels[24], r.fill);
      return r.fill;
    };
    assert.equal(fillFor([2, 2, 3, 3]), 2); // 2.5 → 2 (numpy, not Math.round's 3)
    assert.equal(fillFor([3, 3, 4, 4]), 4); // 3.5 → 4
    assert.equal(fillFor([3, 3, 3, 4]), 3); // 3.25 → 3
    const same = infill({ width: 2, height: 2, pixels: Uint8Array.of(1, 2, 3, 4), missing: new Uint8Array(4) });
    assert.equal(same.fill, null);
    assert.deepEqual([...same.pixels], [1, 2, 3, 4]);
  });
});
