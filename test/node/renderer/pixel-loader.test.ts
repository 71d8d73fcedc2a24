/**
 * The mosaic's pixel loader under Node with a scripted API and a scripted sheet maker: batching, stale requests
 * dropped when the view moves on, bounded concurrency, a byte budget held exactly (whole sheets evicted, least
 * recently wanted first, each bitmap closed once), drawing from the right sheet, and failures reported once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PixelLoader } from '../../../renderer/lib/pixel-loader.ts';
import type { TileCanvas } from '../../../renderer/lib/pixel-loader.ts';
import { sheetError } from '../../../renderer/lib/sheet-maker.ts';
import type { TileSheet } from '../../../renderer/lib/sheet-maker.ts';
import { roiKey } from '../../../shared/mosaic/keys.ts';
import { decodeRoiImages, encodeRoiImages } from '../../../shared/ipc/roi-images.ts';
import { err, ok } from '../../../shared/ipc/result.ts';
import type { Result } from '../../../shared/ipc/result.ts';

const SIDE = 10; // every ROI 10 × 10 px, pixel value = target % 256
/** What each image of a sheet counts: 4 bytes per pixel. */
const SHEET_BYTES = 4 * SIDE * SIDE;

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

/** An image's bitmap as the tests see it: its first pixel, and how often it was closed. */
interface FakeBitmap {
  pixel: number;
  closes: number;
  close(): void;
}

/**
 * A sheet maker that decodes the payload as the worker does, one fake bitmap per non-empty image; it records every
 * sheet it made. `gate` holds sheets back until released; `fail` makes a payload's sheet fail.
 */
function scriptedSheets(options: { gate?: Promise<void>; fail?: (targets: number[]) => boolean } = {}) {
  const made: FakeBitmap[][] = [];
  const makeSheet = async (payload: Uint8Array): Promise<TileSheet> => {
    const images = decodeRoiImages(payload);
    await options.gate;
    if (options.fail?.(images.map((i) => i.target))) throw sheetError({ code: 'INTERNAL', message: 'cannot draw' });
    const bitmaps = images.map((i) => {
      if (i.width === 0 || i.height === 0) return null;
      const bitmap: FakeBitmap = { pixel: i.pixels[0]!, closes: 0, close: () => void bitmap.closes++ };
      return bitmap;
    });
    made.push(bitmaps.filter((b) => b !== null));
    const bytes = images.reduce((n, img) => n + 4 * img.width * img.height, 0);
    return { bitmaps: bitmaps as unknown as ImageBitmap[], targets: Uint32Array.from(images, (i) => i.target), widths: Uint32Array.from(images, (i) => i.width), bytes };
  };
  /** The pixel of every bitmap closed, once per close() call, sorted. */
  const closed = () => made.flat().flatMap((b) => Array.from({ length: b.closes }, () => b.pixel)).sort((a, b) => a - b);
  /** Sheets none of whose bitmaps were closed. */
  const open = () => made.filter((sheet) => sheet.every((b) => b.closes === 0));
  return { made, makeSheet, closed, open };
}

interface Draw {
  /** First pixel of the image drawn. */
  pixel: number;
  dest: number[];
  smooth: boolean;
}

/** A canvas that records what was drawn. */
function recordingCanvas() {
  const draws: Draw[] = [];
  const ctx = {
    imageSmoothingEnabled: true,
    drawImage(bitmap: FakeBitmap, dx: number, dy: number, dw: number, dh: number) {
      draws.push({ pixel: bitmap.pixel, dest: [dx, dy, dw, dh], smooth: ctx.imageSmoothingEnabled });
    },
  };
  return { ctx: ctx as unknown as TileCanvas, draws };
}

/** The first pixel drawn for a key at 1:1, or undefined when the loader does not hold it. */
function drawnPixel(loader: PixelLoader, key: number): number | undefined {
  const canvas = recordingCanvas();
  return loader.paint(canvas.ctx, key, 0, 0, SIDE, SIDE) ? canvas.draws[0]!.pixel : undefined;
}

const settle = () => new Promise((r) => setImmediate(r));
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('batches by count, keeps at most `concurrency` requests in flight', async () => {
  const api = scriptedApi();
  const sheets = scriptedSheets();
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 4, concurrency: 2, makeSheet: sheets.makeSheet });
  loader.want(range(1, 10));
  assert.deepEqual(api.requested, [range(1, 4), range(5, 8)]);
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(api.requested.at(-1), [9, 10]);
  assert.equal(drawnPixel(loader, 1), 1);
  assert.equal(drawnPixel(loader, 4), 4);
  assert.equal(drawnPixel(loader, 5), undefined);
  assert.deepEqual(loader.stats(), { cached: 4, cachedBytes: 4 * SHEET_BYTES, sheets: 1, requests: 3, inFlight: 6, queued: 0 });
  loader[Symbol.dispose]();
});

test('batches by bytes: a large ROI goes alone', async () => {
  const api = scriptedApi();
  const sizes = new Map([[1, 100], [2, 900_000], [3, 100], [4, 100]]);
  const loader = new PixelLoader(api.fetchImages, (t) => sizes.get(t)!, { batchBytes: 500_000, batchCount: 10, concurrency: 3, makeSheet: scriptedSheets().makeSheet });
  loader.want([1, 2, 3, 4]);
  assert.deepEqual(api.requested, [[1], [2], [3, 4]]);
  loader[Symbol.dispose]();
});

test('scrolling away drops queued targets; in-flight ones still land in the cache', async () => {
  const api = scriptedApi();
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 2, concurrency: 1, makeSheet: scriptedSheets().makeSheet });
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
  assert.ok(loader.has(1) && loader.has(104));
  assert.equal(loader.has(3), false);
  // Cached and in-flight targets are not requested again.
  loader.want([1, 2, 101, 105]);
  assert.deepEqual(api.requested.at(-1), [105]);
  loader[Symbol.dispose]();
});

test('the budget holds whole sheets, evicting the least recently wanted; evicted and disposed bitmaps are closed once', async () => {
  const api = scriptedApi();
  const sheets = scriptedSheets();
  // sheets of 2 images (800 B); room for 3
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { maxBytes: 6 * SHEET_BYTES, batchCount: 2, concurrency: 1, makeSheet: sheets.makeSheet });
  for (const batch of [[1, 2], [3, 4], [5, 6]]) {
    loader.want(batch);
    api.pending.shift()!.resolve();
    await settle();
  }
  assert.deepEqual(loader.stats().cachedBytes, 6 * SHEET_BYTES);
  assert.deepEqual(sheets.closed(), []);
  loader.want([2]); // the sheet of 1 and 2 becomes the most recently wanted
  loader.want([7, 8]);
  api.pending.shift()!.resolve();
  await settle();
  assert.equal(loader.stats().cachedBytes, 6 * SHEET_BYTES);
  assert.deepEqual(range(1, 8).map((t) => loader.has(t)), [true, true, false, false, true, true, true, true]);
  // Exactly the evicted sheet's bitmaps were closed, once; what is drawn from the cache is still open.
  assert.deepEqual(sheets.closed(), [3, 4]);
  assert.equal(drawnPixel(loader, 3), undefined);
  loader[Symbol.dispose]();
  // Dispose closes exactly what was held: every bitmap made is now closed once.
  assert.equal(sheets.made.length, 4);
  assert.deepEqual(sheets.closed(), range(1, 8));
  assert.deepEqual(loader.stats().cached, 0);
});

test('the image budget evicts whole sheets too, whatever their bytes', async () => {
  const api = scriptedApi();
  const sheets = scriptedSheets();
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { maxImages: 5, batchCount: 2, concurrency: 1, makeSheet: sheets.makeSheet });
  for (const batch of [[1, 2], [3, 4], [5, 6]]) {
    loader.want(batch);
    api.pending.shift()!.resolve();
    await settle();
  }
  // the third sheet would make 6 images: the oldest sheet goes
  assert.deepEqual(range(1, 6).map((t) => loader.has(t)), [false, false, true, true, true, true]);
  assert.deepEqual(sheets.closed(), [1, 2]);
  assert.deepEqual([loader.stats().cached, loader.stats().cachedBytes], [4, 4 * SHEET_BYTES]);
  loader[Symbol.dispose]();
});

test('property: whatever is wanted in whatever order, the held bytes and images never exceed their budgets and every sheet is closed once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 15 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 12 }),
      async (wants, budgetImages, batchCount, mostImages) => {
        const sheets = scriptedSheets();
        const fetchImages = (targets: number[]) => Promise.resolve(ok(encodeRoiImages(targets.map((t) => ({ target: t, width: SIDE, height: SIDE, pixels: pixelsOf(t) })))));
        const maxBytes = Math.max(batchCount, budgetImages) * SHEET_BYTES;
        const maxImages = Math.max(batchCount, mostImages);
        const loader = new PixelLoader(fetchImages, () => SIDE * SIDE, { maxBytes, maxImages, batchCount, concurrency: 2, makeSheet: sheets.makeSheet });
        for (const want of wants) {
          loader.want(want);
          await settle();
          const open = sheets.open();
          const stats = loader.stats();
          assert.ok(stats.cachedBytes <= maxBytes);
          assert.ok(stats.cached <= maxImages);
          assert.equal(stats.cachedBytes, open.reduce((n, sheet) => n + sheet.length * SHEET_BYTES, 0));
          assert.equal(stats.sheets, open.length);
          // a sheet is let go whole: each of its bitmaps closed once, none left open
          assert.ok(sheets.made.every((sheet) => sheet.every((b) => b.closes === sheet[0]!.closes) && sheet[0]!.closes <= 1));
          // what is held draws its own pixels
          for (const t of want) if (loader.has(t)) assert.equal(drawnPixel(loader, t), t);
        }
        loader[Symbol.dispose]();
        assert.ok(sheets.made.flat().every((b) => b.closes === 1));
      },
    ),
    { numRuns: 60 },
  );
});

test('drawing: the image’s own bitmap into the tile; smooth only when shrinking; nothing for an empty image', async () => {
  const fetchImages = (targets: number[]) =>
    Promise.resolve(ok(encodeRoiImages(targets.map((t) => (t === 3 ? { target: t, width: 0, height: 0, pixels: new Uint8Array(0) } : { target: t, width: SIDE, height: SIDE, pixels: pixelsOf(t) })))));
  const loader = new PixelLoader(fetchImages, () => SIDE * SIDE, { makeSheet: scriptedSheets().makeSheet });
  loader.want([1, 2, 3]);
  await settle();
  const { ctx, draws } = recordingCanvas();
  assert.equal(loader.paint(ctx, 2, 5, 6, SIDE, SIDE), true);
  assert.equal(loader.paint(ctx, 2, 0, 0, 4, 4), true);
  assert.equal(loader.paint(ctx, 1, 0, 0, 30, 30), true);
  assert.equal(loader.paint(ctx, 3, 0, 0, 1, 1), true); // held, nothing to draw
  assert.equal(loader.paint(ctx, 4, 0, 0, 1, 1), false);
  assert.deepEqual(draws, [
    { pixel: 2, dest: [5, 6, SIDE, SIDE], smooth: false },
    { pixel: 2, dest: [0, 0, 4, 4], smooth: true },
    { pixel: 1, dest: [0, 0, 30, 30], smooth: false },
  ]);
  loader[Symbol.dispose]();
});

test('a sheet that cannot be made fails its batch once, with its code; nothing leaks and nothing is retried', async () => {
  const api = scriptedApi();
  const sheets = scriptedSheets({ fail: (targets) => targets.includes(3) });
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 2, concurrency: 1, makeSheet: sheets.makeSheet });
  const errors: string[] = [];
  const loads: number[][] = [];
  loader.onError((e, targets) => errors.push(`${e.code}:${targets.join(',')}`));
  loader.onLoad((targets) => loads.push(targets));
  loader.want(range(1, 4));
  api.pending.shift()!.resolve();
  await settle();
  api.pending.shift()!.resolve();
  await settle();
  assert.deepEqual(range(1, 4).map((t) => loader.has(t)), [true, true, false, false]);
  assert.equal(loader.failure(3)?.code, 'INTERNAL');
  assert.equal(loader.failure(3)?.message, 'cannot draw');
  assert.equal(loader.failure(2), undefined);
  assert.deepEqual(errors, ['INTERNAL:3,4']);
  assert.deepEqual(loads, [[1, 2], [3, 4]]);
  assert.equal(loader.stats().cachedBytes, 2 * SHEET_BYTES);
  loader.want(range(1, 4));
  assert.equal(api.requested.length, 2);
  loader[Symbol.dispose]();
  assert.deepEqual(sheets.closed(), [1, 2]);
});

test('a payload that cannot be read fails its batch with the decoder’s error', async () => {
  const loader = new PixelLoader(() => Promise.resolve(ok(new Uint8Array([1, 2, 3]))), () => 100, { makeSheet: scriptedSheets().makeSheet });
  const errors: string[] = [];
  loader.onError((e, targets) => errors.push(`${e.code}:${targets.join(',')}:${e.message}`));
  loader.want([1, 2]);
  await settle();
  assert.deepEqual(errors, ['INTERNAL:1,2:Malformed image payload: shorter than its header.']);
  loader[Symbol.dispose]();
});

test('sheets still being made when the loader is disposed are closed, not leaked', async () => {
  const api = scriptedApi();
  let release!: () => void;
  const sheets = scriptedSheets({ gate: new Promise<void>((r) => (release = r)) });
  const loader = new PixelLoader(api.fetchImages, () => SIDE * SIDE, { batchCount: 10, concurrency: 1, makeSheet: sheets.makeSheet });
  loader.want(range(1, 3));
  api.pending.shift()!.resolve();
  await settle();
  loader[Symbol.dispose]();
  release();
  await settle();
  assert.equal(sheets.made.flat().length, 3);
  assert.deepEqual(sheets.closed(), [1, 2, 3]);
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
    { makeSheet: scriptedSheets().makeSheet },
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

test('a view of several bins: each request asks one bin, images are held under their keys', async () => {
  const asked: [number, number[]][] = [];
  const fetchImages = (targets: number[], slot: number): Promise<Result<Uint8Array>> => {
    asked.push([slot, targets]);
    return Promise.resolve(ok(encodeRoiImages(targets.map((t) => ({ target: t, width: SIDE, height: SIDE, pixels: pixelsOf(t + slot) })))));
  };
  const loader = new PixelLoader(fetchImages, () => SIDE * SIDE, { batchCount: 10, concurrency: 4, makeSheet: scriptedSheets().makeSheet });
  loader.want([roiKey(0, 1), roiKey(0, 2), roiKey(3, 1), roiKey(3, 5), roiKey(0, 9)]);
  await settle();
  await settle();
  assert.deepEqual(asked, [[0, [1, 2]], [3, [1, 5]], [0, [9]]]);
  assert.equal(drawnPixel(loader, roiKey(3, 5)), 8);
  assert.equal(drawnPixel(loader, roiKey(0, 1)), 1);
  assert.equal(drawnPixel(loader, 5), undefined);
  // the inspector's one image: a request of its own, raw gray pixels
  assert.equal((await loader.fetchOne(roiKey(7, 4))).pixels[0], 11);
  assert.deepEqual(asked.at(-1), [7, [4]]);
  loader[Symbol.dispose]();
});
