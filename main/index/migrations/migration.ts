/** The shape of a numbered schema migration (applied in order against PRAGMA user_version). */
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** The user_version after this migration; migrations are numbered 1, 2, 3 … without gaps. */
  version: number;
  name: string;
  /** Runs inside the migration's transaction. */
  up(db: Database): void;
}
