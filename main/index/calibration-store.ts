/** Each instrument's calibration (pixels per micrometre) in the library database (migration 4). */
import type { Database } from 'better-sqlite3';
import type { ReadonlyDatabase } from './database.ts';

/** Stored calibrations by instrument number. */
export function readCalibrations(db: ReadonlyDatabase | Database): Map<number, number> {
  const rows = db.prepare('SELECT instrument, px_per_um AS pxPerUm FROM calibrations ORDER BY instrument').all() as { instrument: number; pxPerUm: number }[];
  return new Map(rows.map((r) => [r.instrument, r.pxPerUm]));
}

/** Store one instrument's calibration; `null` forgets it (the instrument falls back to the default). */
export function writeCalibration(db: Database, instrument: number, pxPerUm: number | null, now: number = Date.now()): void {
  if (pxPerUm === null) {
    db.prepare('DELETE FROM calibrations WHERE instrument = ?').run(instrument);
    return;
  }
  db.prepare('INSERT INTO calibrations (instrument, px_per_um, updated_at) VALUES (?, ?, ?) ON CONFLICT (instrument) DO UPDATE SET px_per_um = excluded.px_per_um, updated_at = excluded.updated_at').run(
    instrument,
    pxPerUm,
    now,
  );
}
