/** Migration 1: roots and bins, with the indexes the hot queries need. */
import type { Migration } from './migration.ts';

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE roots (
        root_id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        whitelist TEXT NOT NULL,          -- JSON array of folder names
        blacklist TEXT NOT NULL,          -- JSON array of folder names
        added_at INTEGER NOT NULL,
        scan_started_at INTEGER,
        scan_completed_at INTEGER
      ) STRICT;

      CREATE TABLE bins (
        key INTEGER PRIMARY KEY,
        root_id INTEGER NOT NULL REFERENCES roots(root_id) ON DELETE CASCADE,
        folder TEXT NOT NULL,             -- relative to the root, '/'-separated, '' = the root
        id TEXT NOT NULL,
        schema INTEGER NOT NULL,
        instrument INTEGER NOT NULL,
        epoch_ms INTEGER NOT NULL,
        adc_rows INTEGER,
        triggers INTEGER,
        images INTEGER,
        run_time REAL,
        inhibit_time REAL,
        look_time REAL,
        ml_analyzed REAL,
        header_run_time REAL,
        header_inhibit_time REAL,
        temperature REAL,
        humidity REAL,
        header_keys INTEGER,
        header_values TEXT NOT NULL DEFAULT '{}',
        roi_expected_bytes INTEGER,
        adc_size INTEGER NOT NULL,
        adc_mtime_ms REAL NOT NULL,
        hdr_size INTEGER NOT NULL,
        hdr_mtime_ms REAL NOT NULL,
        roi_size INTEGER,                 -- NULL: no .roi file
        roi_mtime_ms REAL,
        qc INTEGER NOT NULL DEFAULT 0,    -- QC_FLAGS bits
        error_code TEXT,
        error_message TEXT,
        indexed_at INTEGER NOT NULL,
        UNIQUE (root_id, folder, id)
      ) STRICT;

      -- Keyset paging in time order: (epoch_ms, key) where key is the rowid, which every index carries.
      CREATE INDEX bins_by_time ON bins (epoch_ms);
      CREATE INDEX bins_by_instrument_time ON bins (instrument, epoch_ms);
      CREATE INDEX bins_by_root_time ON bins (root_id, epoch_ms);
      CREATE INDEX bins_by_id ON bins (id);
      -- Covering index for the time series: no table lookups when summing over a range.
      CREATE INDEX bins_series ON bins (epoch_ms, images, ml_analyzed);
    `);
  },
};
