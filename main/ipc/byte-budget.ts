/**
 * Image bytes in flight across ALL requests: each `bin:roi-images` payload reserves its size before it is
 * built and gives it back once the transport has delivered it (Electron: when the handler returns and the
 * payload is cloned into the IPC message; the bridge: when the HTTP response is written or aborted). Over the
 * limit a request answers BUSY at once instead of growing the process (40 connections × 64 MB took 2.2 GB).
 */
import { IfcbError } from '../../shared/errors.ts';

export class ByteBudget {
  private used = 0;
  private readonly held = new WeakMap<object, number>();

  constructor(readonly limit: number) {}

  /** Bytes reserved or held right now. */
  get inFlight(): number {
    return this.used;
  }

  /** Reserve `bytes` for a payload about to be built; BUSY when that would pass the limit. */
  reserve(bytes: number): void {
    if (this.used + bytes > this.limit) {
      throw new IfcbError('BUSY', 'The viewer is already sending as many images as it may hold; retry in a moment.', { bytes, inFlight: this.used, limit: this.limit });
    }
    this.used += bytes;
  }

  /** Give back a reservation that produced no payload (the build failed). */
  cancel(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  /** The reservation now belongs to `payload`, until `release(payload)`. */
  hold(payload: object, bytes: number): void {
    this.held.set(payload, bytes);
  }

  /** The transport delivered (or dropped) `value`: free what it held. Anything else is ignored; idempotent. */
  release(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const bytes = this.held.get(value);
    if (bytes === undefined) return;
    this.held.delete(value);
    this.cancel(bytes);
  }
}
