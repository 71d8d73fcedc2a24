/**
 * The exporter's ROI annotations for a command-line export: with the library database (labels, products recorded
 * from results folders) when it exists, else from the products beside each bin alone. The database (a native
 * module) loads only when there is one; `owner` (the command run) closes it.
 */
import { existsSync } from 'node:fs';
import type { LibraryOwner } from '../app/library.ts';
import type { AnnotatorForBin } from '../export/by-class.ts';
import { libraryPath } from '../index/database-path.ts';
import { ecotaxaAnnotatorForBin } from './ecotaxa-annotations.ts';

export async function libraryAnnotator(owner: LibraryOwner, db: string | undefined): Promise<AnnotatorForBin> {
  const dbPath = libraryPath(db);
  if (!existsSync(dbPath)) return (bin) => ecotaxaAnnotatorForBin(bin, undefined);
  const [{ openLibraryDatabase }, { LabelStore }, { recordedProducts }] = await Promise.all([import('../app/library.ts'), import('./label-store.ts'), import('./recorded-products.ts')]);
  const database = openLibraryDatabase(owner, dbPath);
  const labels = new LabelStore(database);
  return (bin) => ecotaxaAnnotatorForBin(bin, labels, recordedProducts(database, bin.id));
}
