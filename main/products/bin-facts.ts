/** The facts about a bin that the product join needs, from the reader's `Bin`. */
import path from 'node:path';
import type { Bin } from '../ifcb/bin.ts';
import type { BinFacts } from './bin-classes.ts';
import { findProducts, type ProductFile } from './discover.ts';

export function binFacts(bin: Bin): BinFacts {
  const ml = bin.metrics.mlAnalyzed;
  return {
    binId: bin.id,
    adcRows: bin.adc.rowCount,
    imageTargets: bin.images.geometries().map((g) => g.target),
    mlAnalyzed: Number.isFinite(ml) ? ml : null,
  };
}

/** The bin's products beside its files and in the given results folders. */
export function productsOfBin(bin: Bin, resultsFolders: readonly string[]): ProductFile[] {
  return findProducts(bin.id, path.dirname(bin.paths.base), resultsFolders);
}

/** The bin's products beside its files, plus `recorded` ones (the library's, from results folders), each file once. */
export function productsBesideAnd(bin: Bin, recorded: readonly ProductFile[]): ProductFile[] {
  const files = productsOfBin(bin, []);
  for (const f of recorded) if (!files.some((g) => g.path === f.path)) files.push(f);
  return files;
}
