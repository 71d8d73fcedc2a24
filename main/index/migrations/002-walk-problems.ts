/** Migration 2: files and folders a walk could not use (invalid names, unreadable folders, loops). */
import type { Migration } from './migration.ts';

export const migration002: Migration = {
  version: 2,
  name: 'walk-problems',
  up(db) {
    db.exec(`
      CREATE TABLE walk_problems (
        root_id INTEGER NOT NULL REFERENCES roots(root_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (root_id, path)
      ) STRICT;
    `);
  },
};
