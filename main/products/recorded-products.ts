/**
 * The products the library recorded for a bin (`bin_products`, written by product-store.ts after each index). A
 * module of its own: the class counts read it, and product-store.ts redoes the class counts after recording.
 */
import type { Database } from 'better-sqlite3';
import { PRODUCT_KINDS, type ProductFile, type ProductKind } from './discover.ts';

/** The recorded products of a bin. */
export function recordedProducts(db: Database, binId: string): ProductFile[] {
  const rows = db.prepare('SELECT path, bin_id, kind, version FROM bin_products WHERE bin_id = ? ORDER BY path').all(binId) as { path: string; bin_id: string; kind: string; version: number }[];
  return rows
    .filter((r) => (PRODUCT_KINDS as readonly string[]).includes(r.kind))
    .map((r) => ({ path: r.path, binId: r.bin_id, kind: r.kind as ProductKind, version: r.version }));
}
