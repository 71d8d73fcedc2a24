/**
 * PNG encoding on a small worker_threads pool. Measured on the 2-core target (test/bench/export.bench.ts):
 * 2 workers running `deflateSync` beat `zlib.deflate` on the libuv pool (the convenience API builds a
 * zlib stream object per call on the main thread) and ~2.5× sharp.
 *
 * Main-thread cost per image is what limits an export on 2 cores, so:
 * - jobs travel in batches (one postMessage per batch each way; a message costs ~30 µs),
 * - workers frame the whole PNG (IHDR/IDAT/IEND + CRCs), identical to png.ts `framePng`,
 * - with `encodeToFile` the worker also writes the file (exclusive create): a folder export then costs
 *   the main thread nothing per file (three fs callbacks per file on the main thread added up to
 *   stalls over the 50 ms budget at 10,000 files; measured in test/bench/export.bench.ts).
 *
 * The worker source is a plain-JS string run with `eval: true`, so it works unchanged under tsx, in a
 * bundled Electron main process and in the CLI (no worker file to locate on disk). Workers are unref'd
 * while idle: an idle pool never keeps the process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PngOptions } from './png.ts';

/** Niceness of PNG workers on Linux (background work, not starved). */
const WORKER_NICE = 5;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// Linux niceness is per thread: one step below the main thread keeps the app's event loop first in
// line for the CPU while exports run (elsewhere it would renice the whole process, so skip).
if (process.platform === 'linux') { try { require('node:os').setPriority(${WORKER_NICE}); } catch {} }
const { deflateSync, crc32 } = require('node:zlib');
const { openSync, writeSync, closeSync, unlinkSync } = require('node:fs');
const SIG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
function chunk(out, view, at, type, data) {
  view.setUint32(at, data.length);
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
  out.set(data, at + 8);
  view.setUint32(at + 8 + data.length, crc32(out.subarray(at + 4, at + 8 + data.length)));
  return at + 12 + data.length;
}
function png(width, height, pixels, level) {
  const stride = width + 1;
  const lines = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) lines.set(pixels.subarray(y * width, (y + 1) * width), y * stride + 1);
  const idat = deflateSync(lines, { level });
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width); hv.setUint32(4, height); ihdr[8] = 8; ihdr[9] = 0;
  const out = new Uint8Array(8 + 25 + 12 + idat.length + 12);
  const view = new DataView(out.buffer);
  out.set(SIG, 0);
  let at = chunk(out, view, 8, 'IHDR', ihdr);
  at = chunk(out, view, at, 'IDAT', idat);
  chunk(out, view, at, 'IEND', new Uint8Array(0));
  return out;
}
function writeExclusive(path, data) {
  const fd = openSync(path, 'wx');
  let ok = false;
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    ok = true;
  } finally {
    closeSync(fd);
    if (!ok) { try { unlinkSync(path); } catch {} }
  }
}
parentPort.on('message', (batch) => {
  const results = [];
  const transfer = [];
  for (const m of batch) {
    try {
      const bytes = png(m.width, m.height, m.pixels, m.level);
      if (m.writeTo) {
        writeExclusive(m.writeTo, bytes);
        results.push({ id: m.id, written: bytes.length });
      } else {
        results.push({ id: m.id, png: bytes });
        transfer.push(bytes.buffer);
      }
    } catch (e) {
      results.push({ id: m.id, error: String((e && e.message) || e), code: e && typeof e.code === 'string' ? e.code : null });
    }
  }
  parentPort.postMessage(results, transfer);
});
`;

/** A failure inside a worker: the message, and the errno code when writing the file failed. */
export class PngWorkerError extends Error {
  override readonly name = 'PngWorkerError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

interface Job {
  resolve: (value: Uint8Array | number) => void;
  reject: (e: Error) => void;
}

interface Message {
  id: number;
  width: number;
  height: number;
  pixels: Uint8Array;
  level: number;
  writeTo?: string;
}

interface Result {
  id: number;
  png?: Uint8Array;
  written?: number;
  error?: string;
  code?: string | null;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  queue: Message[];
  scheduled: boolean;
}

/** Most jobs in one message. */
const MAX_BATCH = 16;

/** A pool of PNG workers. `size` defaults to the core count, at most 4. */
export class PngWorkerPool {
  private slots: (Slot | undefined)[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size = Math.max(1, Math.min(4, availableParallelism()))) {}

  private spawn(index: number): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const slot: Slot = { worker, jobs: new Map(), queue: [], scheduled: false };
    worker.on('message', (results: Result[]) => {
      for (const r of results) {
        const job = slot.jobs.get(r.id);
        if (!job) continue;
        slot.jobs.delete(r.id);
        if (r.error !== undefined) job.reject(new PngWorkerError(r.error, r.code ?? null));
        else if (r.png) job.resolve(r.png);
        else if (r.written !== undefined) job.resolve(r.written);
        else job.reject(new PngWorkerError('no data returned', null));
      }
      if (slot.jobs.size === 0) worker.unref();
    });
    const fail = (e: Error) => {
      for (const job of slot.jobs.values()) job.reject(e);
      slot.jobs.clear();
      if (this.slots[index] === slot) this.slots[index] = undefined; // respawned on next use
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`PNG worker exited (code ${code})`)));
    return slot;
  }

  private pick(): Slot {
    let best: Slot | undefined;
    for (let i = 0; i < this.size; i++) {
      let s = this.slots[i];
      if (!s) {
        s = this.spawn(i);
        this.slots[i] = s;
        return s;
      }
      if (!best || s.jobs.size < best.jobs.size) best = s;
    }
    return best!;
  }

  private flush(slot: Slot): void {
    slot.scheduled = false;
    while (slot.queue.length > 0) {
      const batch = slot.queue.splice(0, MAX_BATCH);
      slot.worker.postMessage(
        batch,
        batch.map((m) => m.pixels.buffer as ArrayBuffer),
      );
    }
  }

  private submit(message: Omit<Message, 'id'>): Promise<Uint8Array | number> {
    if (this.closed) return Promise.reject(new Error('PNG worker pool is closed'));
    const { width, height, pixels } = message;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || pixels.length !== width * height) {
      return Promise.reject(new RangeError(`cannot encode ${pixels.length} bytes as a ${width}×${height} image`));
    }
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<Uint8Array | number>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      if (slot.jobs.size === 1) slot.worker.ref();
      slot.queue.push({ ...message, id });
      if (slot.queue.length >= MAX_BATCH) this.flush(slot);
      else if (!slot.scheduled) {
        // everything submitted in this turn of the event loop goes in one message
        slot.scheduled = true;
        setImmediate(() => this.flush(slot));
      }
    });
  }

  /** Encode raw 8-bit gray pixels (`height` rows of `width`) as PNG in a worker. */
  async encode(pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<Uint8Array> {
    // transfer a copy: pixels read from a scope own exactly their bytes (readRoiPixels), but the caller may
    // still hold the array and a transfer would detach it (and an in-memory bin's pixels are views into its .roi)
    return (await this.submit({ width, height, pixels: pixels.slice(), level: options.level ?? 6 })) as Uint8Array;
  }

  /** Encode and write the PNG to `path` (exclusive create) in the worker; resolves to its size in bytes. */
  async encodeToFile(path: string, pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<number> {
    return (await this.submit({ width, height, pixels: pixels.slice(), level: options.level ?? 6, writeTo: path })) as number;
  }

  /** Stop every worker (pending encodes are rejected). */
  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.filter((s): s is Slot => s !== undefined);
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}

let shared: PngWorkerPool | undefined;

/** The process-wide pool (lazily created; idle workers do not keep the process alive). */
export function sharedPngPool(): PngWorkerPool {
  shared ??= new PngWorkerPool();
  return shared;
}

/** Encode a gray PNG on the shared worker pool. */
export function encodeGrayPngPooled(pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<Uint8Array> {
  return sharedPngPool().encode(pixels, width, height, options);
}

/** Encode a gray PNG on the shared worker pool and write it to `path` there (exclusive create); resolves to its size. */
export function writeGrayPngPooled(path: string, pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Promise<number> {
  return sharedPngPool().encodeToFile(path, pixels, width, height, options);
}
