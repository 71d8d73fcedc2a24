/**
 * Which bins of the library have which products (migration 5 `bin_products`), and the results folders added
 * for a root. `refreshRootProducts` re-scans one root's bins and results folders; it is cheap (directory
 * listings only) and runs after indexing; then the class counts of the bins whose class products changed are
 * redone (main/products/class-counts.ts).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';
import { refreshClassCounts } from './class-counts.ts';
import { productsIn, scanProductFolder, type ProductFile, type ProductKind } from './discover.ts';

export function addResultsFolder(db: Database, rootId: number, folder: string): string {
  const abs = path.resolve(folder);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    throw new IfcbError('FILE_MISSING', `The results folder ${abs} does not exist.`, { path: abs }, { cause: e });
  }
  if (!isDir) throw new IfcbError('INVALID_ARGUMENT', `${abs} is not a folder.`, { path: abs });
  if (!db.prepare('SELECT 1 FROM roots WHERE root_id = ?').get(rootId)) throw new IfcbError('INVALID_ARGUMENT', `There is no library folder with id ${rootId}.`, { rootId });
  db.prepare('INSERT OR IGNORE INTO results_folders VALUES (?, ?)').run(rootId, abs);
  return abs;
}

export function resultsFolders(db: Database, rootId: number): string[] {
  return (db.prepare('SELECT path FROM results_folders WHERE root_id = ? ORDER BY path').all(rootId) as { path: string }[]).map((r) => r.path);
}

/** A root's results folders, each with how many product files the library records in it, and the root's total. */
export function resultsFolderProducts(db: Database, rootId: number): { folders: { path: string; products: number }[]; products: number } {
  const paths = (db.prepare('SELECT path FROM bin_products WHERE root_id = ?').pluck().all(rootId) as string[]).map((p) => path.resolve(p));
  const folders = resultsFolders(db, rootId).map((folder) => ({ path: folder, products: paths.filter((p) => p.startsWith(folder + path.sep)).length }));
  return { folders, products: paths.length };
}

/** Record the products of one root (beside its catalogued bins and in its results folders) and recount its bins' classes. Returns how many products. */
export function refreshRootProducts(db: Database, rootId: number): number {
  const root = db.prepare('SELECT path FROM roots WHERE root_id = ?').get(rootId) as { path: string } | undefined;
  if (!root) return 0;
  const bins = db.prepare('SELECT DISTINCT folder, id FROM bins WHERE root_id = ?').all(rootId) as { folder: string; id: string }[];
  const ids = new Set(bins.map((b) => b.id));
  const found: ProductFile[] = [];
  for (const folder of new Set(bins.map((b) => b.folder))) found.push(...productsIn(path.join(root.path, ...folder.split('/').filter(Boolean))));
  for (const dir of resultsFolders(db, rootId)) found.push(...scanProductFolder(dir));
  const insert = db.prepare('INSERT OR REPLACE INTO bin_products VALUES (?, ?, ?, ?, ?)');
  const recorded = db.transaction(() => {
    db.prepare('DELETE FROM bin_products WHERE root_id = ?').run(rootId);
    let n = 0;
    for (const f of found) {
      if (!ids.has(f.binId)) continue;
      insert.run(f.path, f.binId, f.kind, f.version, rootId);
      n++;
    }
    return n;
  }).immediate();
  // the chart's per-class counts follow the products (only bins whose files changed are read)
  refreshClassCounts(db, { rootId });
  return recorded;
}

/** After an index: record the products (and redo the class counts) of these roots, or of every root. */
export function refreshProductsAfterIndex(db: Database, rootIds: readonly number[] | undefined): void {
  const ids = rootIds ?? (db.prepare('SELECT root_id FROM roots').pluck().all() as number[]);
  for (const rootId of ids) refreshRootProducts(db, rootId);
}

/** Bins that have at least one product of `kind` (the library's "has classes" view). */
export function binsWithProduct(db: Database, kind: ProductKind): string[] {
  return (db.prepare('SELECT DISTINCT bin_id FROM bin_products WHERE kind = ? ORDER BY bin_id').all(kind) as { bin_id: string }[]).map((r) => r.bin_id);
}
