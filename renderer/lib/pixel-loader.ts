/**
 * Fetches ROI pixels for the mosaic in batches and keeps a bounded LRU of them, each as its raw gray
 * bytes (the inspector) and as an ImageBitmap (what the mosaic canvas draws).
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
import { grayToImageData } from './paint.ts';

export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface TileImage extends GrayImage {
  bitmap: ImageBitmap;
}

/** The `bin:roi-images` payload of some targets of the bin in `slot`. */
export type FetchRoiImages = (targets: number[], slot: number) => Promise<Result<Uint8Array>>;

export interface PixelLoaderOptions {
  /** Cache budget in bytes (gray + RGBA bitmap: 5 bytes per pixel). */
  maxBytes?: number;
  /** Most targets per request. */
  batchCount?: number;
  /** Most pixel bytes per request (by the table's sizes). */
  batchBytes?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Turns raw gray pixels into something drawable (default: an ImageBitmap via RGBA ImageData). */
  createBitmap?: (width: number, height: number, pixels: Uint8Array) => Promise<ImageBitmap>;
}

export interface PixelLoaderStats {
  cached: number;
  cachedBytes: number;
  requests: number;
  inFlight: number;
  queued: number;
}

const BYTES_PER_PIXEL = 5;

export class PixelLoader implements Disposable {
  private readonly cache = new Map<number, TileImage>();
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
  private readonly batchCount: number;
  private readonly batchBytes: number;
  private readonly concurrency: number;
  private readonly createBitmap: (width: number, height: number, pixels: Uint8Array) => Promise<ImageBitmap>;

  constructor(
    private readonly fetchImages: FetchRoiImages,
    /** Pixel count of a target (width × height from the ROI table). */
    private readonly sizeOf: (target: number) => number,
    options: PixelLoaderOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 128 * 1024 * 1024;
    this.batchCount = options.batchCount ?? 48;
    this.batchBytes = options.batchBytes ?? 1024 * 1024;
    this.concurrency = options.concurrency ?? 3;
    this.createBitmap = options.createBitmap ?? ((width, height, pixels) => createImageBitmap(grayToImageData(width, height, pixels)));
  }

  /** Cached image of a target, without touching the LRU order (drawing calls this every frame). */
  peek(target: number): TileImage | undefined {
    return this.cache.get(target);
  }

  /** The error that made a target fail, if any. */
  failure(target: number): ErrorInfo | undefined {
    return this.failures.get(target);
  }

  /** The targets the view needs now, most urgent first; everything else queued is dropped. */
  want(targets: readonly number[]): void {
    if (this.disposed) return;
    const queue: number[] = [];
    for (const t of targets) {
      const hit = this.cache.get(t);
      if (hit) {
        // Most recently used: what is on screen is evicted last.
        this.cache.delete(t);
        this.cache.set(t, hit);
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

  /** One image's raw pixels, from the cache or a request of its own (the inspector, the ROI view). */
  async fetchOne(key: number): Promise<GrayImage> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = await this.fetchImages([targetOfKey(key)], slotOfKey(key));
    if (!result.ok) throw Object.assign(new Error(result.error.message), { info: result.error });
    const [image] = decodeRoiImages(result.value);
    if (!image) throw new Error(`No pixels returned for ROI ${targetOfKey(key)}.`);
    return { width: image.width, height: image.height, pixels: image.pixels.slice() };
  }

  stats(): PixelLoaderStats {
    return { cached: this.cache.size, cachedBytes: this.cachedBytes, requests: this.requests, inFlight: this.inFlight.size, queued: this.queue.length };
  }

  [Symbol.dispose](): void {
    this.disposed = true;
    this.queue = [];
    for (const entry of this.cache.values()) entry.bitmap.close();
    this.cache.clear();
    this.cachedBytes = 0;
    this.errorListeners.clear();
    this.loadListeners.clear();
  }

  private store(target: number, image: TileImage): void {
    const old = this.cache.get(target);
    if (old) {
      this.cachedBytes -= old.width * old.height * BYTES_PER_PIXEL;
      old.bitmap.close();
    }
    this.cache.delete(target);
    this.cache.set(target, image);
    this.cachedBytes += image.width * image.height * BYTES_PER_PIXEL;
    for (const [t, entry] of this.cache) {
      if (this.cachedBytes <= this.maxBytes) break;
      if (t === target) continue;
      this.cache.delete(t);
      this.cachedBytes -= entry.width * entry.height * BYTES_PER_PIXEL;
      entry.bitmap.close();
    }
  }

  private pump(): void {
    while (!this.disposed && this.active < this.concurrency && this.queue.length > 0) {
      const batch: number[] = [];
      let bytes = 0;
      // one request asks one bin: a batch ends where the queue moves on to another bin
      const slot = slotOfKey(this.queue[0]!);
      while (this.queue.length > 0 && batch.length < this.batchCount) {
        const t = this.queue[0]!;
        if (slotOfKey(t) !== slot) break;
        const size = this.sizeOf(t);
        if (batch.length > 0 && bytes + size > this.batchBytes) break;
        this.queue.shift();
        if (this.cache.has(t) || this.inFlight.has(t)) continue;
        batch.push(t);
        bytes += size;
      }
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
        for (const t of batch) this.failures.set(t, result.error);
        for (const l of this.errorListeners) l(result.error, batch);
        for (const l of this.loadListeners) l(batch);
        return;
      }
      const decoded = decodeRoiImages(result.value);
      // One bad image must not cost the others: keep every bitmap that was made, fail only the rest.
      const settled = await Promise.allSettled(decoded.map((image) => this.createBitmap(image.width, image.height, image.pixels)));
      if (this.disposed) {
        for (const s of settled) if (s.status === 'fulfilled') s.value.close();
        return;
      }
      const loaded: number[] = [];
      const failed: number[] = [];
      let firstError: ErrorInfo | undefined;
      decoded.forEach((image, i) => {
        const s = settled[i]!;
        if (s.status === 'fulfilled') {
          // Copy out of the payload so the cache owns exactly what it counts.
          this.store(roiKey(slot, image.target), { width: image.width, height: image.height, pixels: image.pixels.slice(), bitmap: s.value });
          loaded.push(roiKey(slot, image.target));
        } else {
          const reason: unknown = s.reason;
          const error: ErrorInfo = { code: 'INTERNAL', message: `ROI ${image.target} could not be drawn: ${reason instanceof Error ? reason.message : String(reason)}` };
          this.failures.set(roiKey(slot, image.target), error);
          failed.push(roiKey(slot, image.target));
          firstError ??= error;
        }
      });
      if (firstError) for (const l of this.errorListeners) l(firstError, failed);
      for (const l of this.loadListeners) l([...loaded, ...failed]);
    } catch (e) {
      if (this.disposed) return;
      const error: ErrorInfo = { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      for (const t of batch) this.failures.set(t, error);
      for (const l of this.errorListeners) l(error, batch);
      for (const l of this.loadListeners) l(batch);
    } finally {
      for (const t of batch) this.inFlight.delete(t);
      this.active--;
      this.pump();
    }
  }
}
