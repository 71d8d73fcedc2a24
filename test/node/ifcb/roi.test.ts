import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { closeSync, openSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import { IfcbError } from '../../../shared/errors.ts';
import {
  MAX_ROI_PIXELS,
  MAX_ROI_SIDE,
  checkRoiBounds,
  planRoiReads,
  readRoi,
  readRois,
  sliceRois,
  validateRoiGeometry,
  type RoiExtent,
} from '../../../main/ifcb/roi.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { assertNoFdLeak } from '../../helpers/fd-leak.ts';

function ext(target: number, width: number, height: number, byteOffset: number): RoiExtent {
  return { target, width, height, byteOffset };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IfcbError) return e.code;
    throw e;
  }
  return 'no error';
}

/** Count readSync calls made by `fn` (node:fs named exports are re-synced from the CJS object). */
function countReads<T>(fn: () => T): { result: T; reads: number } {
  const original = fs.readSync;
  let reads = 0;
  fs.readSync = ((...args: Parameters<typeof fs.readSync>) => {
    reads++;
    return original(...args);
  }) as typeof fs.readSync;
  syncBuiltinESMExports();
  try {
    return { result: fn(), reads };
  } finally {
    fs.readSync = original;
    syncBuiltinESMExports();
  }
}

test('geometry validation: negative, fractional, NaN, huge sizes and bad offsets are ROI_INVALID_GEOMETRY', () => {
  const bad: RoiExtent[] = [
    ext(1, -1, 5, 0),
    ext(1, 5, -1, 0),
    ext(1, 2.5, 5, 0),
    ext(1, 5, 2.5, 0),
    ext(1, Number.NaN, 5, 0),
    ext(1, 5, Number.POSITIVE_INFINITY, 0),
    ext(1, MAX_ROI_SIDE + 1, 1, 0),
    ext(1, MAX_ROI_SIDE, MAX_ROI_SIDE, 0), // > MAX_ROI_PIXELS
    ext(1, 7, 0, 0), // w != 0, h == 0
    ext(1, 5, 5, -1),
    ext(1, 5, 5, 0.5),
    ext(1, 5, 5, 2 ** 60),
  ];
  for (const g of bad) assert.equal(codeOf(() => validateRoiGeometry(g)), 'ROI_INVALID_GEOMETRY', JSON.stringify(g));
  for (const g of [ext(1, 0, 0, 0), ext(1, 1380, 1034, 123456789), ext(9, 1, 1, 0)]) validateRoiGeometry(g);
  assert.ok(MAX_ROI_SIDE * MAX_ROI_SIDE > MAX_ROI_PIXELS);
  try {
    validateRoiGeometry(ext(42, 7, 0, 10), { binId: 'D20130526T095207_IFCB013' });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof IfcbError);
    assert.match(e.message, /ROI 42 of D20130526T095207_IFCB013/);
    assert.deepEqual(e.details?.target, 42);
  }
});

test('bounds: offset + w*h past the end of the file is ROI_TRUNCATED naming the file and target', () => {
  checkRoiBounds(ext(3, 10, 10, 0), 100);
  checkRoiBounds(ext(3, 10, 10, 50), 150);
  try {
    checkRoiBounds(ext(3, 10, 10, 50), 149, { path: '/data/x.roi', binId: 'X' });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof IfcbError);
    assert.equal(e.code, 'ROI_TRUNCATED');
    assert.match(e.message, /\/data\/x\.roi is truncated: ROI 3 \(10×10\) needs bytes 50–150 but the file has only 149 bytes/);
    assert.deepEqual(e.details, { target: 3, byteOffset: 50, length: 100, fileSize: 149, path: '/data/x.roi', binId: 'X' });
  }
});

test('pixels are read at START_BYTE, row-major, in the order asked, never cumulatively', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'x.roi');
  const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 7 + 3) & 255);
  writeFileSync(file, bytes);
  // offsets deliberately out of order, overlapping and with gaps
  const extents = [ext(5, 3, 2, 100), ext(2, 4, 4, 1), ext(9, 1, 1, 199), ext(7, 3, 2, 100), ext(4, 10, 3, 17)];
  const images = assertNoFdLeak(() => {
    const fd = openSync(file, 'r');
    try {
      return readRois(fd, bytes.length, extents);
    } finally {
      closeSync(fd);
    }
  });
  assert.deepEqual(
    images.map((im) => [im.target, im.width, im.height]),
    extents.map((g) => [g.target, g.width, g.height]),
  );
  extents.forEach((g, i) => {
    assert.deepEqual([...images[i]!.pixels], [...bytes.subarray(g.byteOffset, g.byteOffset + g.width * g.height)]);
  });
  // row r, column c of target 4 is byte 17 + r*10 + c
  assert.equal(images[4]!.pixels[2 * 10 + 7], bytes[17 + 27]);
  const one = (() => {
    const fd = openSync(file, 'r');
    try {
      return readRoi(fd, bytes.length, ext(1, 2, 2, 198 - 2));
    } finally {
      closeSync(fd);
    }
  })();
  assert.deepEqual([...one.pixels], [...bytes.subarray(196, 200)]);
});

test('coalescing: contiguous images are read with one readSync; far-apart ones separately', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'x.roi');
  const size = 4 * 1024 * 1024;
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 255;
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r');
  t.after(() => closeSync(fd));
  const contiguous: RoiExtent[] = [];
  let off = 1;
  for (let i = 0; i < 500; i++) {
    contiguous.push(ext(i + 1, 20 + (i % 7), 10 + (i % 5), off));
    off += contiguous[i]!.width * contiguous[i]!.height;
  }
  const shuffled = [...contiguous].reverse();
  const { result, reads } = countReads(() => readRois(fd, size, shuffled));
  assert.equal(reads, 1);
  result.forEach((im, i) => {
    const g = shuffled[i]!;
    assert.equal(im.target, g.target);
    assert.deepEqual(im.pixels, bytes.subarray(g.byteOffset, g.byteOffset + g.width * g.height));
  });
  const far = [ext(1, 10, 10, 0), ext(2, 10, 10, 1024 * 1024), ext(3, 10, 10, 3 * 1024 * 1024)];
  assert.equal(countReads(() => readRois(fd, size, far)).reads, 3);
  // a small gap is read through rather than costing a syscall
  assert.equal(countReads(() => readRois(fd, size, [ext(1, 10, 10, 0), ext(2, 10, 10, 1000)])).reads, 1);
  // the span cap splits one long run into several reads
  assert.equal(countReads(() => readRois(fd, size, contiguous, undefined, { maxSpan: 10_000 })).reads > 1, true);
});

test('readRois validates everything before reading anything, and a short file is ROI_TRUNCATED', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'x.roi');
  writeFileSync(file, new Uint8Array(100));
  const fd = openSync(file, 'r');
  t.after(() => closeSync(fd));
  const { reads } = countReads(() => assert.equal(codeOf(() => readRois(fd, 100, [ext(1, 5, 5, 0), ext(2, -5, 5, 0)])), 'ROI_INVALID_GEOMETRY'));
  assert.equal(reads, 0);
  assert.equal(codeOf(() => readRois(fd, 100, [ext(1, 5, 5, 0), ext(2, 10, 10, 1)])), 'ROI_TRUNCATED');
  // fileSize claims more than the file holds (file shrank after fstat)
  assert.equal(codeOf(() => readRois(fd, 1000, [ext(7, 10, 10, 50)], { path: file })), 'ROI_TRUNCATED');
});

test('planRoiReads covers every non-empty request exactly once (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ width: fc.integer({ min: 0, max: 50 }), height: fc.integer({ min: 1, max: 50 }), byteOffset: fc.integer({ min: 0, max: 100_000 }) }), { maxLength: 60 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 1, max: 20_000 }),
      (raw, gap, span) => {
        const extents = raw.map((r, i) => ({ ...r, target: i + 1 }));
        const groups = planRoiReads(extents, gap, span);
        const seen = groups.flatMap((g) => g.members).sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          extents.map((_, i) => i).filter((i) => extents[i]!.width > 0),
        );
        for (const g of groups) {
          for (const i of g.members) {
            const e = extents[i]!;
            assert.ok(e.byteOffset >= g.start && e.byteOffset + e.width * e.height <= g.end);
          }
          // a group only exceeds the cap when a single image is bigger than it
          assert.ok(g.end - g.start <= span || g.members.length === 1);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('sliceRois gives views into the buffer with the same checks', () => {
  const bytes = Uint8Array.from({ length: 50 }, (_, i) => i);
  const [a] = sliceRois(bytes, [ext(1, 5, 2, 10)]);
  assert.deepEqual([...a!.pixels], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(a!.pixels.buffer, bytes.buffer);
  assert.equal(codeOf(() => sliceRois(bytes, [ext(2, 5, 9, 10)])), 'ROI_TRUNCATED');
  assert.equal(codeOf(() => sliceRois(bytes, [ext(2, 5, 0, 10)])), 'ROI_INVALID_GEOMETRY');
});

test('an I/O error during a read is FILE_UNREADABLE naming the file (e.g. a share that went away)', (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'x.roi');
  writeFileSync(file, new Uint8Array(100));
  const fd = openSync(file, 'r');
  t.after(() => closeSync(fd));
  const original = fs.readSync;
  fs.readSync = (() => {
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
  }) as typeof fs.readSync;
  syncBuiltinESMExports();
  try {
    for (const extents of [[ext(1, 5, 5, 0)], [ext(1, 5, 5, 0), ext(2, 5, 5, 25)]]) {
      try {
        readRois(fd, 100, extents, { path: file });
        assert.fail('no error');
      } catch (e) {
        assert.ok(e instanceof IfcbError);
        assert.equal(e.code, 'FILE_UNREADABLE');
        assert.match(e.message, /cannot read .*x\.roi \(EIO: EIO: i\/o error, read\)/);
      }
    }
  } finally {
    fs.readSync = original;
    syncBuiltinESMExports();
  }
});
