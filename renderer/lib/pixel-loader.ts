/**
 * Fetches ROI pixels for the mosaic in batches and keeps them, within a byte and an image budget, as tile sheets:
 * the bitmaps of one batch's images, made by the sheet worker (sheet-maker.ts), so the main thread only fetches,
 * looks up and draws. What is held is tracked per sheet (LRU by sheet, bytes counted exactly) and per image by one
 * number in one map, so scrolling a day of 100,000 images leaves the JS heap about as it found it.
 *
 * Images are known by key (shared/mosaic/keys.ts: the bin's slot in the view and the target; in a single bin
 * the key is the target): one loader serves a view of many bins, and each request asks one bin.
 *
 * `want(keys)` replaces the queue: keys scrolled away before their batch was sent are dropped.
 * Batches already in flight finish and land in the cache (the API has no cancel), but nothing else is
 * requested for them.
 */
import type { ErrorInfo } from '../../shared/errors.ts';
import type { Result } from '../../shared/ipc/result.ts';
import { decodeRoiImages } from '../../shared/ipc/roi-images.ts';
import { roiKey, slotOfKey, targetOfKey } from '../../shared/mosaic/keys.ts';
import { makeSheetInWorker } from './sheet-maker.ts';
import type { MakeSheet, TileSheet } from './sheet-maker.ts';

export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** The `bin:roi-images` payload of some targets of the bin in `slot`. */
export type FetchRoiImages = (targets: number[], slot: number) => Promise<Result<Uint8Array>>;

/** What the loader draws on: the part of a canvas 2D context it uses. */
export type TileCanvas = Pick<CanvasRenderingContext2D, 'drawImage' | 'imageSmoothingEnabled'>;

export interface PixelLoaderOptions {
  /** Budget in bytes for the sheets held (4 per image pixel). */
  maxBytes?: number;
  /**
   * Most images held. Each bitmap costs the JS heap ~200 B however small its image, so the byte budget alone would
   * let a day of tiny images grow the heap by megabytes.
   */
  maxImages?: number;
  /** Most targets per request (and per sheet; at most MAX_BATCH). */
  batchCount?: number;
  /** Most pixel bytes per request (by the table's sizes). */
  batchBytes?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Turns a payload into a sheet (default: the sheet worker). */
  makeSheet?: MakeSheet;
}

export interface PixelLoaderStats {
  /** Images held. */
  cached: number;
  /** Bytes of the sheets held. */
  cachedBytes: number;
  sheets: number;
  requests: number;
  inFlight: number;
  queued: number;
}

/** Images per sheet are counted in the low bits of an image's place (see `place`). */
const MAX_BATCH = 1024;

function closeSheet(sheet: TileSheet): void {
  for (const bitmap of sheet.bitmaps) bitmap?.close();
}

interface HeldSheet {
  sheet: TileSheet;
  /** The key of each image in the sheet, in sheet order. */
  keys: number[];
}

export class PixelLoader implements Disposable {
  /** Held sheets by number, least recently wanted first (a Map keeps insertion order). */
  private readonly sheets = new Map<number, HeldSheet>();
  /** Sheet numbers free for reuse, so places stay small integers. */
  private readonly freeNumbers: number[] = [];
  private sheetCount = 0;
  /** An image's place: its sheet's number × MAX_BATCH + its index in the sheet. */
  private readonly place = new Map<number, number>();
  private cachedBytes = 0;
  private readonly inFlight = new Set<number>();
  private queue: number[] = [];
  private active = 0;
  private requests = 0;
  private disposed = false;
  private readonly failures = new Map<number, ErrorInfo>();
  private readonly errorListeners = new Set<(error: ErrorInfo, targets: number[]) => void>();
  private readonly loadListeners = new Set<(targets: number[]) => void>();
  private readonly maxBytes: number;
  private readonly maxImages: number;
  private readonly batchCount: number;
  private readonly batchBytes: number;
  private readonly concurrency: number;
  private readonly makeSheet: MakeSheet;

  constructor(
    private readonly fetchImages: FetchRoiImages,
    /** Pixel count of a target (width × height from the ROI table). */
    private readonly sizeOf: (target: number) => number,
    options: PixelLoaderOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    // 16 screens of the smallest tiles
    this.maxImages = options.maxImages ?? 8192;
    this.batchCount = Math.min(MAX_BATCH, options.batchCount ?? 256);
    this.batchBytes = options.batchBytes ?? 1024 * 1024;
    this.concurrency = options.concurrency ?? 3;
    this.makeSheet = options.makeSheet ?? makeSheetInWorker;
  }

  /** Whether the image of a key is held (drawable). */
  has(key: number): boolean {
    return this.place.has(key);
  }

  /**
   * Draw the image of a key into the rectangle (smooth when shrinking, crisp pixels when enlarging, an exact copy
   * at 1:1); false when it is not held. Does not touch the LRU order (drawing calls this every frame).
   */
  paint(ctx: TileCanvas, key: number, x: number, y: number, w: number, h: number): boolean {
    const at = this.place.get(key);
    if (at === undefined) return false;
    const { sheet } = this.sheets.get(Math.floor(at / MAX_BATCH))!;
    const i = at % MAX_BATCH;
    const bitmap = sheet.bitmaps[i];
    if (!bitmap) return true;
    ctx.imageSmoothingEnabled = w < sheet.widths[i]!;
    ctx.drawImage(bitmap, x, y, w, h);
    return true;
  }

  /** The error that made a target fail, if any. */
  failure(target: number): ErrorInfo | undefined {
    return this.failures.get(target);
  }

  /** The targets the view needs now, most urgent first; everything else queued is dropped. */
  want(targets: readonly number[]): void {
    if (this.disposed) return;
    const queue: number[] = [];
    let touched = -1;
    for (const t of targets) {
      const at = this.place.get(t);
      if (at !== undefined) {
        // Most recently used: the sheets of what is on screen are evicted last.
        const number = Math.floor(at / MAX_BATCH);
        if (number !== touched) {
          const held = this.sheets.get(number)!;
          this.sheets.delete(number);
          this.sheets.set(number, held);
          touched = number;
        }
      } else if (!this.inFlight.has(t) && !this.failures.has(t)) queue.push(t);
    }
    this.queue = queue;
    this.pump();
  }

  onError(listener: (error: ErrorInfo, targets: number[]) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Called with the targets whose images just arrived (or failed: check `failure`). */
  onLoad(listener: (targets: number[]) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  /** One image's raw pixels, by a request of its own (the inspector, the ROI view: sheets hold no gray bytes). */
  async fetchOne(key: number): Promise<GrayImage> {
    const result = await this.fetchImages([targetOfKey(key)], slotOfKey(key));
    if (!result.ok) throw Object.assign(new Error(result.error.message), { info: result.error });
    const [image] = decodeRoiImages(result.value);
    if (!image) throw new Error(`No pixels returned for ROI ${targetOfKey(key)}.`);
    return { width: image.width, height: image.height, pixels: image.pixels };
  }

  stats(): PixelLoaderStats {
    return { cached: this.place.size, cachedBytes: this.cachedBytes, sheets: this.sheets.size, requests: this.requests, inFlight: this.inFlight.size, queued: this.queue.length };
  }

  [Symbol.dispose](): void {
    this.disposed = true;
    this.queue = [];
    for (const held of this.sheets.values()) closeSheet(held.sheet);
    this.sheets.clear();
    this.place.clear();
    this.cachedBytes = 0;
    this.errorListeners.clear();
    this.loadListeners.clear();
  }

  /** Hold a sheet, first letting go of the least recently wanted ones until it fits the budgets. */
  private hold(sheet: TileSheet, keys: number[]): void {
    for (const [number, held] of this.sheets) {
      if (this.cachedBytes + sheet.bytes <= this.maxBytes && this.place.size + keys.length <= this.maxImages) break;
      this.release(number, held);
    }
    const number = this.freeNumbers.pop() ?? this.sheetCount++;
    this.sheets.set(number, { sheet, keys });
    this.cachedBytes += sheet.bytes;
    keys.forEach((key, i) => this.place.set(key, number * MAX_BATCH + i));
  }

  private release(number: number, held: HeldSheet): void {
    this.sheets.delete(number);
    this.freeNumbers.push(number);
    this.cachedBytes -= held.sheet.bytes;
    closeSheet(held.sheet);
    // a key a newer sheet holds again keeps its newer place
    held.keys.forEach((key, i) => {
      if (this.place.get(key) === number * MAX_BATCH + i) this.place.delete(key);
    });
  }

  private pump(): void {
    while (!this.disposed && this.active < this.concurrency && this.queue.length > 0) {
      const batch: number[] = [];
      let bytes = 0;
      // one request asks one bin: a batch ends where the queue moves on to another bin
      const slot = slotOfKey(this.queue[0]!);
      let taken = 0;
      while (taken < this.queue.length && batch.length < this.batchCount) {
        const t = this.queue[taken]!;
        if (slotOfKey(t) !== slot) break;
        const size = this.sizeOf(t);
        if (batch.length > 0 && bytes + size > this.batchBytes) break;
        taken++;
        if (this.place.has(t) || this.inFlight.has(t)) continue;
        batch.push(t);
        bytes += size;
      }
      this.queue = this.queue.slice(taken);
      if (batch.length === 0) continue;
      void this.request(batch);
    }
  }

  private async request(batch: number[]): Promise<void> {
    this.active++;
    this.requests++;
    for (const t of batch) this.inFlight.add(t);
    try {
      const slot = slotOfKey(batch[0]!);
      const result = await this.fetchImages(batch.map(targetOfKey), slot);
      if (this.disposed) return;
      if (!result.ok) {
        this.fail(batch, result.error);
        return;
      }
      const sheet = await this.makeSheet(result.value);
      if (this.disposed) {
        closeSheet(sheet);
        return;
      }
      const keys = Array.from(sheet.targets, (target) => roiKey(slot, target));
      this.hold(sheet, keys);
      for (const l of this.loadListeners) l(keys);
    } catch (e) {
      if (this.disposed) return;
      const info = (e as { info?: ErrorInfo }).info;
      this.fail(batch, info ?? { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
    } finally {
      for (const t of batch) this.inFlight.delete(t);
      this.active--;
      this.pump();
    }
  }

  /** Every target of a batch failed with one error: reported once, never asked for again. */
  private fail(batch: number[], error: ErrorInfo): void {
    for (const t of batch) this.failures.set(t, error);
    for (const l of this.errorListeners) l(error, batch);
    for (const l of this.loadListeners) l(batch);
  }
}
