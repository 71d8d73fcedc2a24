/** Helpers for catalogue tests (Signal-Desktop style): temp databases, EXPLAIN QUERY PLAN, sample copies. */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openCatalogue, type Catalogue, type CatalogueOptions } from '../../../main/index/catalogue.ts';
import { tempDirFor } from '../../helpers/temp.ts';

/** The `detail` lines of EXPLAIN QUERY PLAN for a statement. */
export function explain(db: Database, sql: string, params: unknown[] = []): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A catalogue in a temp dir, closed after the test. */
export function tempCatalogue(t: { after(fn: () => void | Promise<void>): void }, options: CatalogueOptions = {}): { catalogue: Catalogue; dir: string; dbPath: string } {
  const dir = tempDirFor(t, 'ifcb-cat-');
  const dbPath = path.join(dir, 'db', 'catalogue.sqlite');
  const catalogue = openCatalogue(dbPath, options);
  t.after(() => catalogue.close());
  return { catalogue, dir, dbPath };
}

/** Copy a bin's files (those that exist) from `base` into `dir`; returns the new base path. */
export function copyBin(base: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, path.basename(base));
  for (const ext of ['adc', 'hdr', 'roi']) {
    if (existsSync(`${base}.${ext}`)) copyFileSync(`${base}.${ext}`, `${target}.${ext}`);
  }
  return target;
}
