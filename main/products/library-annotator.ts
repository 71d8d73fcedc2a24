/**
 * The exporter's ROI annotations for a command-line export: with a library database (labels, products recorded
 * from results folders) when the file exists, else from the products beside each bin alone. The database (a native
 * module) loads only when there is one.
 */
import { existsSync } from 'node:fs';
import type { AnnotatorForBin } from '../export/by-class.ts';
import { ecotaxaAnnotatorForBin } from './ecotaxa-annotations.ts';

export async function libraryAnnotator(dbPath: string): Promise<{ annotate: AnnotatorForBin; close(): void }> {
  if (!existsSync(dbPath)) return { annotate: (bin) => ecotaxaAnnotatorForBin(bin, undefined), close: () => undefined };
  const [{ openDatabase }, { LabelStore }, { recordedProducts }] = await Promise.all([import('../index/database.ts'), import('./label-store.ts'), import('./product-store.ts')]);
  const db = openDatabase(dbPath);
  const labels = new LabelStore(db);
  return { annotate: (bin) => ecotaxaAnnotatorForBin(bin, labels, recordedProducts(db, bin.id)), close: () => db.close() };
}
