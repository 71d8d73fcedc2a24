/**
 * Migration 5: labels (with their change log, for undo/redo and who/when), imported class lists, and which
 * bins have which derived products, plus the results folders a root's products live in. Labels are keyed by
 * bin id and ROI number, not by the `bins` row, so they survive re-indexing, a rebuild of the bins table
 * and the removal/re-adding of a root.
 */
import type { Migration } from './migration.ts';

export const migration005: Migration = {
  version: 5,
  name: 'classes',
  up(db) {
    db.exec(`
      -- One user action (a key press over a selection, an import): the unit of undo/redo.
      CREATE TABLE label_changes (
        change_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,               -- 'set' | 'import' | 'confirm'
        annotator TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        source TEXT,                      -- the imported file's name
        undone INTEGER NOT NULL DEFAULT 0 -- 1: undone (on the redo stack)
      ) STRICT;

      -- What one change did to one ROI, with the state before it (to undo).
      CREATE TABLE label_events (
        change_id INTEGER NOT NULL REFERENCES label_changes(change_id) ON DELETE CASCADE,
        bin_id TEXT NOT NULL,
        roi INTEGER NOT NULL,
        label TEXT,                       -- NULL: cleared ("not reviewed")
        had_before INTEGER NOT NULL,      -- a labels row existed before
        label_before TEXT,
        annotator_before TEXT,
        at_ms_before INTEGER,
        PRIMARY KEY (change_id, bin_id, roi)
      ) STRICT;

      -- The current label of every ROI someone labelled (absent: no library label).
      CREATE TABLE labels (
        bin_id TEXT NOT NULL,
        roi INTEGER NOT NULL,
        label TEXT,                       -- NULL: explicitly cleared
        annotator TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (bin_id, roi)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX labels_by_label ON labels (label);

      -- class2use lists (imported from manual files and class2use .mat files), by name (a bin id for a manual file).
      CREATE TABLE class_lists (
        name TEXT PRIMARY KEY,
        classes TEXT NOT NULL,            -- JSON array, 1-based order as in the file
        source TEXT NOT NULL,
        at_ms INTEGER NOT NULL
      ) STRICT;

      -- Folders of derived products that belong to a library root (beside its data folders).
      CREATE TABLE results_folders (
        root_id INTEGER NOT NULL REFERENCES roots(root_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        PRIMARY KEY (root_id, path)
      ) STRICT;

      -- Product files found for a bin (beside it or in a results folder).
      CREATE TABLE bin_products (
        path TEXT PRIMARY KEY,
        bin_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        root_id INTEGER REFERENCES roots(root_id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX bin_products_by_bin ON bin_products (bin_id);
    `);
  },
};
