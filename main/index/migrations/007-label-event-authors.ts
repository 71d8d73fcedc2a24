/**
 * Migration 7: who gave each ROI its label in a change, and when. An import keeps every row's own author and time
 * (a ClassiPyR database, a label CSV), so one change holds many; redo restores them from here. Rows logged before
 * this migration have NULL and are redone with their change's author and time, as before.
 */
import type { Migration } from './migration.ts';

export const migration007: Migration = {
  version: 7,
  name: 'label-event-authors',
  up(db) {
    db.exec(`
      ALTER TABLE label_events ADD COLUMN annotator TEXT;
      ALTER TABLE label_events ADD COLUMN at_ms INTEGER;
    `);
  },
};
