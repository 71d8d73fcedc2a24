/**
 * A streaming .zip writer over yazl with backpressure: `add` waits while more than `maxBufferedBytes`
 * are queued but not yet handed to the file, so memory stays flat however many entries are written.
 *
 * Two yazl 3.3 behaviours would break that for 10,000s of entries, so this class works around them
 * (pinned version; `test/node/export/zip-writer.test.ts` fails if the internals change):
 * - an `addBuffer` entry keeps a closure holding its data until the archive is finished: every image
 *   would stay in memory. The closure is dropped as soon as the entry is written.
 * - each pump scans `entries` from the start for the first unfinished one (quadratic in the entry
 *   count). Finished entries are moved aside while writing and put back before the central directory.
 * - every entry's CRC-32 is computed by buffer-crc32 in JavaScript on the main thread: ~150 ms per
 *   10,000 PNGs. Its `unsigned` is pointed at node:zlib's native crc32 (identical values, ~10× faster).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32 as nativeCrc32 } from 'node:zlib';
import { once } from 'node:events';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { IfcbError } from '../../shared/errors.ts';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { exportWriteError } from './fs-errors.ts';

// yazl's own copy of buffer-crc32 (resolved from yazl, so it is the module yazl calls)
const yazlRequire = createRequire(createRequire(import.meta.url).resolve('yazl'));
const bufferCrc32 = yazlRequire('buffer-crc32') as { unsigned(data: Uint8Array | string): number };
bufferCrc32.unsigned = (data) => nativeCrc32(data);

/** Queue bound: a few MB keeps the disk busy without holding many images in memory. */
const DEFAULT_MAX_BUFFERED = 8 * 1024 * 1024;
/** Chunks are gathered into writes of about this size. */
const COALESCE_BYTES = 256 * 1024;

/** The parts of yazl's Entry this writer touches. */
interface YazlEntry {
  state: number;
  doFileDataPump: (() => void) | null;
}
/** yazl `Entry.FILE_DATA_DONE`. */
const FILE_DATA_DONE = 3;
/** yazl `Entry.FILE_DATA_IN_PROGRESS`. */
const FILE_DATA_IN_PROGRESS = 2;
/** Move finished entries aside every this many additions. */
const TRIM_EVERY = 64;

export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly out: WriteStream;
  private readonly done: Promise<void>;
  private failure: unknown = null;
  private queued = 0;
  private written = 0;
  private waiters: (() => void)[] = [];
  private ended = false;
  private readonly finished: YazlEntry[] = [];
  private added = 0;

  /** Start writing `path` (created exclusively: an existing file is an error, never overwritten). */
  constructor(
    readonly path: string,
    private readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED,
  ) {
    this.out = createWriteStream(path, { flags: 'wx' });
    // yazl emits 2–3 small chunks per entry; coalescing them into large writes saves one
    // thread-pool round trip per chunk on the main thread.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) => {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < COALESCE_BYTES) return cb();
        const out = Buffer.concat(pending, pendingBytes);
        this.written += pendingBytes;
        pending = [];
        pendingBytes = 0;
        this.wake();
        cb(null, out);
      },
      flush: (cb: TransformCallback) => {
        this.written += pendingBytes;
        cb(null, pendingBytes > 0 ? Buffer.concat(pending, pendingBytes) : undefined);
      },
    });
    this.zip.on('error', (e: unknown) => this.fail(e));
    this.done = pipeline(this.zip.outputStream, counter, this.out).catch((e: unknown) => {
      this.fail(e);
      throw exportWriteError(e, path);
    });
    // Failures surface through add()/finish(); keep an early rejection from being "unhandled".
    this.done.catch(() => undefined);
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    this.wake();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  private check(): void {
    if (this.failure !== null) throw exportWriteError(this.failure, this.path);
  }

  /** Add an in-memory entry (stored when `compress` is false, as for PNG/TIFF which are compressed already). */
  async add(name: string, data: Uint8Array, compress = false): Promise<void> {
    this.check();
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.zip.addBuffer(buf, name, { compress });
    this.releaseAfterWrite();
    if (++this.added % TRIM_EVERY === 0) this.trim();
    this.queued += data.byteLength;
    while (this.queued - this.written > this.maxBufferedBytes && this.failure === null) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.check();
  }

  private entries(): YazlEntry[] | null {
    const e = (this.zip as unknown as { entries?: unknown }).entries;
    return Array.isArray(e) ? (e as YazlEntry[]) : null;
  }

  /** Drop the newest entry's data closure once yazl has written it. */
  private releaseAfterWrite(): void {
    const entries = this.entries();
    const entry = entries?.[entries.length - 1];
    const pump = entry?.doFileDataPump;
    if (!entry || typeof pump !== 'function') return;
    if (entry.state >= FILE_DATA_IN_PROGRESS) {
      // yazl pumped it synchronously inside addBuffer: the data is in the stream already
      entry.doFileDataPump = null;
      return;
    }
    entry.doFileDataPump = () => {
      entry.doFileDataPump = null;
      pump.call(entry);
    };
  }

  /** Move the finished prefix of yazl's entry list aside (restored by `finish`). */
  private trim(): void {
    const entries = this.entries();
    if (!entries) return;
    let n = 0;
    while (n < entries.length && entries[n]!.state >= FILE_DATA_DONE) n++;
    for (const e of entries.splice(0, n)) this.finished.push(e);
  }

  /** Entries in the archive so far (for tests). */
  get entryCount(): number {
    return this.finished.length + (this.entries()?.length ?? 0);
  }

  /** Add a file from disk (streamed by yazl; text tables compress well). */
  addFile(realPath: string, name: string, compress = true): void {
    this.check();
    this.zip.addFile(realPath, name, { compress });
  }

  /**
   * Write the central directory and wait until every byte is in the file.
   *
   * yazl writes the whole central directory synchronously, one small stream write per entry: ~100 ms
   * of main thread for 10,000 entries. So first let every entry's data reach the stream, then collect
   * the directory's writes into an array during `end()` (cheap pushes) and feed them to the stream in
   * large slices, yielding between slices.
   */
  async finish(): Promise<void> {
    this.check();
    this.ended = true;
    const entries = this.entries();
    if (entries) {
      // every entry's data written (tables are streamed by yazl), so only the directory remains
      while (this.failure === null && entries.some((e) => e.state < FILE_DATA_DONE)) await sleep(2);
      this.check();
      if (this.finished.length > 0) {
        (this.zip as unknown as { entries: YazlEntry[] }).entries = this.finished.concat(entries);
        this.finished.length = 0;
      }
    }
    const out = this.zip.outputStream as unknown as Writable;
    const originalWrite = out.write;
    const originalEnd = out.end;
    const tail: Buffer[] = [];
    let ended = false;
    out.write = ((chunk: Buffer) => {
      tail.push(chunk);
      return true;
    }) as typeof out.write;
    out.end = (() => {
      ended = true;
      return out;
    }) as typeof out.end;
    try {
      this.zip.end();
    } finally {
      out.write = originalWrite;
      out.end = originalEnd;
    }
    if (!ended) throw new IfcbError('INTERNAL', 'The zip writer did not finish its central directory.');
    let slice: Buffer[] = [];
    let sliceBytes = 0;
    for (let i = 0; i < tail.length; i++) {
      slice.push(tail[i]!);
      sliceBytes += tail[i]!.length;
      if (sliceBytes >= COALESCE_BYTES || i === tail.length - 1) {
        this.check();
        if (!out.write(Buffer.concat(slice, sliceBytes))) await Promise.race([once(out, 'drain'), this.done.catch(() => undefined)]);
        slice = [];
        sliceBytes = 0;
        await yieldToLoop();
      }
    }
    out.end();
    await this.done;
    this.check();
  }

  /** Stop writing (the caller removes the partial file). */
  async destroy(): Promise<void> {
    if (!this.ended) this.fail(new Error('export cancelled'));
    this.out.destroy();
    (this.zip.outputStream as unknown as { destroy?: () => void }).destroy?.();
    await this.done.catch(() => undefined);
  }

  /** Bytes handed to the file so far. */
  get bytesWritten(): number {
    return this.written;
  }
}
