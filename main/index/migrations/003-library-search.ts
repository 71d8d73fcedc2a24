/**
 * Migration 3: the library as a scientist sees it.
 * - `bins.shadowed`: the same bin id in several folders is one bin to the user. Every copy stays a
 *   row (each folder's walk must know what it holds), and all but the best copy are shadowed; the
 *   hot indexes cover only the rows shown (partial indexes), so lists and the time series count a bin once.
 * - Search on any part of the id or the instrument name ("T12", "901", "IFCB13"): the time-ordered
 *   indexes carry id and instrument, so a search walks one index in time order, tests the text on
 *   the index entry without reading the row, and stops at a full page. (An FTS5 trigram index was
 *   measured: it tripled the cost of writing a bin, for searches that take ~0.3 µs per bin this way.)
 * - `roots.whitelist` goes: the catalogue no longer applies pyifcb's folder-name rule.
 */
import type { Migration } from './migration.ts';

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
      -- (…, epoch_ms, key) gives keyset order; id and instrument ride along for search
      CREATE INDEX bins_by_time ON bins (epoch_ms, key, id, instrument) WHERE shadowed = 0;
      CREATE INDEX bins_by_instrument_time ON bins (instrument, epoch_ms, key, id) WHERE shadowed = 0;
      CREATE INDEX bins_by_root_time ON bins (root_id, epoch_ms, key, id, instrument) WHERE shadowed = 0;
      CREATE INDEX bins_series ON bins (epoch_ms, images, ml_analyzed) WHERE shadowed = 0;
    `);
    // Existing duplicates: the best copy of each id stays shown (as store.ts's electCopies decides:
    // a usable copy, i.e. none of the flags noRoi 1 | unreadable 16 | partial 32, then the oldest row).
    db.exec(`
      UPDATE bins SET shadowed = 1
      WHERE key != (SELECT b.key FROM bins b WHERE b.id = bins.id ORDER BY (b.qc & 49) != 0, b.key LIMIT 1)
    `);
  },
};
