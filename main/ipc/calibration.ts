/**
 * Each instrument's calibration (camera pixels per micrometre), owned by main: the renderer reads and sets it
 * through `calibration:*`, the exporter reads it for the µm columns. Stored in the library database when one is
 * open (so it survives restarts); without one, kept in memory until the app quits, and written to the database
 * as soon as one is attached.
 */
import { DEFAULT_PX_PER_UM } from '../../shared/mosaic/scale-bar.ts';
import type { Calibrations } from '../../shared/ipc/contract.ts';
import type { CalibrationStore } from './ports.ts';

export class CalibrationTable {
  private readonly session = new Map<number, number>();
  private store: CalibrationStore | undefined;

  /** Persist from now on in `store`; values set meanwhile are written to it (a stored value of the same instrument loses). */
  attach(store: CalibrationStore): void {
    for (const [instrument, pxPerUm] of this.session) store.write(instrument, pxPerUm);
    this.session.clear();
    this.store = store;
  }

  /** Pixels per micrometre of `instrument` (the default when it was never calibrated). */
  pxPerUm(instrument: number): number {
    return this.current().get(instrument) ?? DEFAULT_PX_PER_UM;
  }

  /** A lookup frozen at this moment (an export uses one value per instrument from start to end). */
  snapshot(): (instrument: number) => number {
    const table = new Map(this.current());
    return (instrument) => table.get(instrument) ?? DEFAULT_PX_PER_UM;
  }

  /** Set (or with null forget) one instrument's calibration. */
  set(instrument: number, pxPerUm: number | null): void {
    if (this.store) this.store.write(instrument, pxPerUm);
    else if (pxPerUm === null) this.session.delete(instrument);
    else this.session.set(instrument, pxPerUm);
  }

  /** The contract's view of the table. */
  describe(): Calibrations {
    const instruments = [...this.current()].sort(([a], [b]) => a - b).map(([instrument, pxPerUm]) => ({ instrument, pxPerUm }));
    return { instruments, defaultPxPerUm: DEFAULT_PX_PER_UM, persistent: this.store !== undefined };
  }

  private current(): ReadonlyMap<number, number> {
    return this.store ? this.store.read() : this.session;
  }
}
