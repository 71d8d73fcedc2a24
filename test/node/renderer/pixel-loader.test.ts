/**
 * The mosaic's pixel loader under Node with a scripted API: batching, stale requests dropped when the
 * view moves on, bounded concurrency, a bounded cache, and failures reported once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PixelLoader } from '../../../renderer/lib/pixel-loader.ts';
import { roiKey } from '../../../shared/mosaic/keys.ts';
import { encodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { err, ok } from '../../../shared/ipc/result.ts';
import type { Result } from '../../../shared/ipc/result.ts';

const SIDE = 10; // every ROI 10 × 10 px, pixel value = target % 256

function pixelsOf(target: number): Uint8Array {
  return new Uint8Array(SIDE * SIDE).fill(target % 256);
}

interface Pending {
  targets: number[];
  resolve: () => void;
}

/** An API whose responses the test releases one by one. */
function scriptedApi() {
  const pending: Pending[] = [];
  const requested: number[][] = [];
  const fetchImages = (targets: number[]): Promise<Result<Uint8Array>> => {
    requested.push(targets);
    return new Promise((resolve) => {
      pending.push({
        targets,
        resolve: () => resolve(ok(encodeRoiImages(targets.map((t) => ({ target: t, width: SIDE, height: SIDE, pixels: pixelsOf(t) }))))),
      });
    });
  };
  return { pending, requested, fetchImages };
}

const fakeBitmap = () => Promise.resolve({ close() {} } as unknown as ImageBitmap);

interface FakeBitmap {
  /** The target whose pixels it was made from (pixel value = target % 256). */
  target: number;
  closes: number;
}

/** A bitmap factory that records every bitmap it made and how often each was closed; `reject` fails some targets. */
function countingBitmaps(reject: (target: number) => boolean = () => false) {
  const made: FakeBitmap[] = [];
  const createBitmap = (_w: number, _h: number, pixels: Uint8Array): Promise<ImageBitmap> => {
    const target = pixels[0]!;
    if (reject(target)) return Promise.reject(new Error(`cannot draw ${target}`));
    const bitmap: FakeBitmap = { target, closes: 0 };
    made.push(bitmap);
    return Promise.resolve({ close: () => void bitmap.closes++, get target() { return bitmap.target; } } as unknown as ImageBitmap);
  };
  /** Targets whose bitmaps were closed, each listed once per close() call (sorted). */
  const closed = () => made.flatMap((b) => Array.from({ length: b.closes }, () => b.target)).sort((a, b) => a - b);
  return { made, createBitmap, closed };
}
const settle = () => new Promise((r) => setImmediate(r));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('batches by count, keeps at most `concurrency` requests in flight', async () => {
  const api = scriptedApi();
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 4, concurrency: 2, createBitmap: fakeBitmap });
  loader.want(range(1, 10));
  assert.deepEqual(api.requested, [range(1, 4), range(5, 8)]);
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(api.requested.at(-1), [9, 10]);
  assert.deepEqual([...loader.peek(1)!.pixels.subarray(0, 3)], [1, 1, 1]);
  loader[Symbol.dispose]();
});

test('batches by bytes: a large ROI goes alone', async () => {
  const api = scriptedApi();
  const sizes = new Map([[1, 100], [2, 900_000], [3, 100], [4, 100]]);
  const loader = new PixelLoader(api.fetchImages, (t) => sizes.get(t)!, { batchBytes: 500_000, batchCount: 10, concurrency: 3, createBitmap: fakeBitmap });
  loader.want([1, 2, 3, 4]);
  assert.deepEqual(api.requested, [[1], [2], [3, 4]]);
  loader[Symbol.dispose]();
});

test('scrolling away drops queued targets; in-flight ones still land in the cache', async () => {
  const api = scriptedApi();
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 2, concurrency: 1, createBitmap: fakeBitmap });
  loader.want(range(1, 8)); // [1,2] in flight, 3..8 queued
  loader.want(range(101, 104)); // the user scrolled: 3..8 are never asked for
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(api.requested, [[1, 2], [101, 102]]);
  api.pending.shift()!.resolve();
  await settle();
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(api.requested, [[1, 2], [101, 102], [103, 104]]);
  assert.ok(loader.peek(1) && loader.peek(104));
  assert.equal(loader.peek(3), undefined);
  // Cached and in-flight targets are not requested again.
  loader.want([1, 2, 101, 105]);
  assert.deepEqual(api.requested.at(-1), [105]);
  loader[Symbol.dispose]();
});

test('the cache stays within its byte budget, evicting the least recently wanted; evicted and disposed bitmaps are closed once', async () => {
  const api = scriptedApi();
  const bitmaps = countingBitmaps();
  // 5 bytes per pixel (gray + RGBA): 500 B per ROI; room for 4.
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { maxBytes: 2000, batchCount: 10, concurrency: 1, createBitmap: bitmaps.createBitmap });
  loader.want(range(1, 4));
  api.pending.shift()!.resolve();
  await settle();
  assert.equal(loader.stats().cachedBytes, 2000);
  assert.deepEqual(bitmaps.closed(), []);
  loader.want([1]); // 1 becomes the most recently used
  loader.want([5, 6]);
  api.pending.shift()!.resolve();
  await settle();
  assert.equal(loader.stats().cachedBytes, 2000);
  assert.deepEqual(range(1, 6).map((t) => loader.peek(t) !== undefined), [true, false, false, true, true, true]);
  // Exactly the two evicted bitmaps were closed, once each; what is drawn from the cache is still open.
  assert.deepEqual(bitmaps.closed(), [2, 3]);
  loader[Symbol.dispose]();
  // Dispose closes exactly what was cached: every bitmap made is now closed once.
  assert.equal(bitmaps.made.length, 6);
  assert.deepEqual(bitmaps.closed(), range(1, 6));
});

test('a bitmap that cannot be made fails only its target: the others are kept open, nothing leaks', async () => {
  const api = scriptedApi();
  const bitmaps = countingBitmaps((t) => t === 3);
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 10, concurrency: 1, createBitmap: bitmaps.createBitmap });
  const errors: string[] = [];
  const loads: number[][] = [];
  loader.onError((e, targets) => errors.push(`${e.code}:${targets.join(',')}`));
  loader.onLoad((targets) => loads.push(targets));
  loader.want(range(1, 5));
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(range(1, 5).map((t) => loader.peek(t) !== undefined), [true, true, false, true, true]);
  assert.equal(loader.failure(3)?.code, 'INTERNAL');
  assert.match(loader.failure(3)!.message, /ROI 3 could not be drawn: cannot draw 3/);
  assert.equal(loader.failure(2), undefined);
  assert.deepEqual(errors, ['INTERNAL:3']);
  assert.deepEqual(loads, [[1, 2, 4, 5, 3]]);
  assert.equal(loader.stats().cachedBytes, 4 * 500);
  // Nothing the cache keeps was closed; the failed target is not asked for again.
  assert.deepEqual(bitmaps.closed(), []);
  loader.want(range(1, 5));
  assert.equal(api.requested.length, 1);
  loader[Symbol.dispose]();
  assert.deepEqual(bitmaps.closed(), [1, 2, 4, 5]);
});

test('bitmaps still being made when the loader is disposed are closed, not leaked', async () => {
  const api = scriptedApi();
  const bitmaps = countingBitmaps((t) => t === 2);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // Bitmaps (and the rejection of 2) complete only after dispose.
  const createBitmap = async (w: number, h: number, pixels: Uint8Array) => {
    await gate;
    return bitmaps.createBitmap(w, h, pixels);
  };
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 10, concurrency: 1, createBitmap });
  loader.want(range(1, 3));
  api.pending.shift()!.resolve();
  await settle();
  loader[Symbol.dispose]();
  release();
  await settle();
  assert.equal(bitmaps.made.length, 2);
  assert.deepEqual(bitmaps.closed(), [1, 3]);
  assert.equal(loader.stats().cached, 0);
});

test('a failed batch is reported once with its code and not retried', async () => {
  let calls = 0;
  const loader = new PixelLoader(
    () => {
      calls++;
      return Promise.resolve(err('FILE_MISSING', 'The .roi file is missing.'));
    },
    () => 100,
    { createBitmap: fakeBitmap },
  );
  const errors: string[] = [];
  const loads: number[][] = [];
  loader.onError((e, targets) => errors.push(`${e.code}:${targets.join(',')}`));
  loader.onLoad((targets) => loads.push(targets));
  loader.want([1, 2]);
  await settle();
  assert.deepEqual(errors, ['FILE_MISSING:1,2']);
  assert.deepEqual(loads, [[1, 2]]);
  assert.equal(loader.failure(2)?.code, 'FILE_MISSING');
  loader.want([1, 2]);
  await settle();
  assert.equal(calls, 1);
  loader[Symbol.dispose]();
});

test('a view of several bins: each request asks one bin, images are cached under their keys', async () => {
  const asked: [number, number[]][] = [];
  const fetchImages = (targets: number[], slot: number): Promise<Result<Uint8Array>> => {
    asked.push([slot, targets]);
    return Promise.resolve(ok(encodeRoiImages(targets.map((t) => ({ target: t, width: SIDE, height: SIDE, pixels: pixelsOf(t + slot) })))));
  };
  const loader = new PixelLoader(fetchImages, () => SIDE * SIDE, { batchCount: 10, concurrency: 4, createBitmap: fakeBitmap });
  loader.want([roiKey(0, 1), roiKey(0, 2), roiKey(3, 1), roiKey(3, 5), roiKey(0, 9)]);
  await settle();
  await settle();
  assert.deepEqual(asked, [[0, [1, 2]], [3, [1, 5]], [0, [9]]]);
  assert.equal(loader.peek(roiKey(3, 5))!.pixels[0], 8);
  assert.equal(loader.peek(roiKey(0, 1))!.pixels[0], 1);
  assert.equal(loader.peek(5), undefined);
  assert.equal((await loader.fetchOne(roiKey(7, 4))).pixels[0], 11);
  assert.deepEqual(asked.at(-1), [7, [4]]);
});
