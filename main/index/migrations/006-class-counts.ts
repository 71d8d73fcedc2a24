/**
 * Migration 6: each bin's count of ROIs per class (manual label where present, else the classifier's class), so
 * that the library chart can plot one class over time without opening a product file. Keyed by bin id like the
 * labels (survives re-indexing); `stamp` says which product files and labels the counts were made from.
 */
import type { Migration } from './migration.ts';

export const migration006: Migration = {
  version: 6,
  name: 'class-counts',
  up(db) {
    db.exec(`
      -- A bin whose classes were counted (it has a classifier result, a manual file or library labels).
      CREATE TABLE bin_class_state (
        bin_id TEXT PRIMARY KEY,
        stamp TEXT NOT NULL,              -- product files (path, size, mtime) and labels the counts came from
        classified INTEGER NOT NULL       -- ROIs that have a class
      ) STRICT, WITHOUT ROWID;

      -- ROIs of one class in one bin (absent: none). Class first: a series asks for one class over many bins.
      CREATE TABLE bin_class_counts (
        class TEXT NOT NULL,
        bin_id TEXT NOT NULL REFERENCES bin_class_state(bin_id) ON DELETE CASCADE,
        count INTEGER NOT NULL,
        PRIMARY KEY (class, bin_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX bin_class_counts_by_bin ON bin_class_counts (bin_id);
    `);
  },
};
