/**
 * Migration 3: the library as a scientist sees it.
 * - `bins.shadowed`: the same bin id in several folders is one bin to the user. Every copy stays a
 *   row (each folder's walk must know what it holds), and all but the best copy are shadowed; the
 *   hot indexes cover only the rows shown (partial indexes), so lists and the time series count a bin once.
 * - `bin_search`: any part of the id or the instrument name finds a bin ("T12", "901", "IFCB13"), served
 *   by an FTS5 trigram index kept in step with `bins` by triggers (few matches), or by walking
 *   `bins_by_time`, which carries id and instrument (many matches; queries.ts's searchVia decides).
 * - `roots.whitelist` goes: the catalogue no longer applies pyifcb's folder-name rule.
 */
import type { Migration } from './migration.ts';

/** The text a bin is found by: its id and its instrument's name without zero padding (IFCB013 → IFCB13). */
const searchText = (row: string): string => `${row}id || ' IFCB' || ${row}instrument`;

export const migration003: Migration = {
  version: 3,
  name: 'library-search',
  up(db) {
    db.exec(`
      ALTER TABLE roots DROP COLUMN whitelist;

      ALTER TABLE bins ADD COLUMN shadowed INTEGER NOT NULL DEFAULT 0;  -- 1: another row of this id is the better copy
      DROP INDEX bins_by_time;
      DROP INDEX bins_by_instrument_time;
      DROP INDEX bins_by_root_time;
      DROP INDEX bins_series;
      -- id and instrument ride along so that a dense search tests them while walking the time order, without reading rows
      CREATE INDEX bins_by_time ON bins (epoch_ms, key, id, instrument) WHERE shadowed = 0;
      CREATE INDEX bins_by_instrument_time ON bins (instrument, epoch_ms) WHERE shadowed = 0;
      CREATE INDEX bins_by_root_time ON bins (root_id, epoch_ms) WHERE shadowed = 0;
      CREATE INDEX bins_series ON bins (epoch_ms, images, ml_analyzed) WHERE shadowed = 0;

      CREATE VIRTUAL TABLE bin_search USING fts5(text, tokenize = 'trigram case_sensitive 1', detail = 'none', columnsize = 0);
      INSERT INTO bin_search (rowid, text) SELECT key, ${searchText('')} FROM bins;
      CREATE TRIGGER bin_search_insert AFTER INSERT ON bins BEGIN
        INSERT INTO bin_search (rowid, text) VALUES (new.key, ${searchText('new.')});
      END;
      CREATE TRIGGER bin_search_delete AFTER DELETE ON bins BEGIN
        DELETE FROM bin_search WHERE rowid = old.key;
      END;
      CREATE TRIGGER bin_search_update AFTER UPDATE OF id, instrument ON bins
        WHEN new.id != old.id OR new.instrument != old.instrument BEGIN
        UPDATE bin_search SET text = ${searchText('new.')} WHERE rowid = new.key;
      END;
    `);
    // Existing duplicates: the best copy of each id stays shown (as store.ts's electCopies decides:
    // a usable copy, i.e. none of the flags noRoi 1 | unreadable 16 | partial 32, then the oldest row).
    db.exec(`
      UPDATE bins SET shadowed = 1
      WHERE key != (SELECT b.key FROM bins b WHERE b.id = bins.id ORDER BY (b.qc & 49) != 0, b.key LIMIT 1)
    `);
  },
};
