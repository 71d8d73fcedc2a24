/**
 * Migration 4: each instrument's calibration (camera pixels per micrometre), so every µm value the app and the
 * CLI produce (inspector, filters, scale bar, metadata.csv, EcoTaxa) comes from the one stored value.
 */
import type { Migration } from './migration.ts';

export const migration004: Migration = {
  version: 4,
  name: 'calibrations',
  up(db) {
    db.exec(`
      CREATE TABLE calibrations (
        instrument INTEGER PRIMARY KEY,
        px_per_um REAL NOT NULL CHECK (px_per_um > 0),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
