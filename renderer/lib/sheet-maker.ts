/**
 * The main thread's side of the tile-sheet worker (sheet-worker.ts): `makeSheetInWorker(payload)` hands a
 * `bin:roi-images` payload over (transferred, not copied) and resolves with the bitmaps of its images. One worker
 * serves every view; it is started on first use and lives as long as the page. Vite builds it as a same-origin
 * module file, which the CSP allows (`worker-src 'self'`).
 */
import type { ErrorInfo } from '../../shared/errors.ts';

/** The images of one request as bitmaps: what the loader holds and lets go of as one. */
export interface TileSheet {
  /** Bitmap of image i, in payload order (null for an empty image). */
  bitmaps: (ImageBitmap | null)[];
  /** Target of image i. */
  targets: Uint32Array;
  /** Width of image i, native px (whether a draw shrinks it). */
  widths: Uint32Array;
  /** Bytes the bitmaps hold (4 per pixel). */
  bytes: number;
}

/** Makes the sheet of one payload; rejects with an Error carrying `info` (the error's code) when it cannot. */
export type MakeSheet = (payload: Uint8Array) => Promise<TileSheet>;

export interface SheetRequest {
  id: number;
  payload: Uint8Array;
}

export type SheetReply = { id: number; ok: true; sheet: TileSheet } | { id: number; ok: false; error: ErrorInfo };

/** An Error for a promise rejection that still says which code it was. */
export function sheetError(info: ErrorInfo): Error & { info: ErrorInfo } {
  return Object.assign(new Error(info.message), { info });
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (sheet: TileSheet) => void; reject: (e: Error) => void }>();

function startWorker(): Worker {
  const started = new Worker(new URL('./sheet-worker.ts', import.meta.url), { type: 'module', name: 'tile-sheets' });
  started.onmessage = (event: MessageEvent<SheetReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.sheet);
    else waiting.reject(sheetError(reply.error));
  };
  // A worker that cannot start (or dies) fails what it was given; the next request starts a new one.
  started.onerror = (event) => {
    event.preventDefault();
    const error = sheetError({ code: 'INTERNAL', message: `The image worker stopped: ${event.message || 'it could not be loaded'}.` });
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    started.terminate();
    if (worker === started) worker = null;
  };
  return started;
}

export const makeSheetInWorker: MakeSheet = (payload) =>
  new Promise((resolve, reject) => {
    worker ??= startWorker();
    const id = nextId++;
    pending.set(id, { resolve, reject });
    // Transfer the payload's memory when the view spans all of it; otherwise send a copy of the view.
    const whole = payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength;
    const own = whole ? payload : payload.slice();
    worker.postMessage({ id, payload: own } satisfies SheetRequest, { transfer: [own.buffer as ArrayBuffer] });
  });
