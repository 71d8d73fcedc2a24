/**
 * The classes feature's services over the library database (label store, recorded products, class counts). The
 * catalogue adapter builds them when it wraps a catalogue and hangs them on its port (`CataloguePort.classes`), so
 * they come and go with the library; handlers reach them as `ctx.catalogue?.classes`.
 */
import type { Database } from 'better-sqlite3';
import type { AnnotatorForBin } from '../export/by-class.ts';
import { countedClasses, refreshClassCounts } from '../products/class-counts.ts';
import { ecotaxaAnnotatorForBin } from '../products/ecotaxa-annotations.ts';
import { LabelStore } from '../products/label-store.ts';
import type { ProductFile } from '../products/discover.ts';
import { addResultsFolder, refreshRootProducts, resultsFolderProducts } from '../products/product-store.ts';
import { recordedProducts } from '../products/recorded-products.ts';

export interface ClassesServices {
  labels: LabelStore;
  /** Products the library recorded for a bin at its last index (beside it and in its results folders). */
  recordedProducts(binId: string): ProductFile[];
  /** Add a results folder to a root and record its products now; returns the folder and the root's product count. */
  addResultsFolder(rootId: number, folder: string): { folder: string; products: number };
  /** A root's results folders with the product files recorded in each, and the root's total. */
  resultsFolders(rootId: number): { folders: { path: string; products: number }[]; products: number };
  /** Classes counted in the library's bins (what the chart can plot). */
  countedClasses(): { name: string; count: number; bins: number }[];
  /** Redo the chart's class counts of bins whose labels changed. */
  recountClasses(binIds: readonly string[]): void;
}

export function classesServices(db: Database): ClassesServices {
  return {
    labels: new LabelStore(db),
    recordedProducts: (binId) => recordedProducts(db, binId),
    addResultsFolder: (rootId, folder) => {
      const added = addResultsFolder(db, rootId, folder);
      return { folder: added, products: refreshRootProducts(db, rootId) };
    },
    resultsFolders: (rootId) => resultsFolderProducts(db, rootId),
    countedClasses: () => countedClasses(db),
    recountClasses: (binIds) => void refreshClassCounts(db, { binIds }),
  };
}

/**
 * The class part of an export request: the ROIs' annotations (library labels when a library is open, manual files,
 * classifier results), asked for only when the EcoTaxa table or folders per class need them.
 */
export function exportClassOptions(port: { readonly classes?: ClassesServices | undefined } | undefined, request: { ecotaxa: boolean; groupByClass?: boolean | undefined }): { annotate?: AnnotatorForBin; groupByClass?: boolean } {
  if (!request.ecotaxa && !request.groupByClass) return {};
  const services = port?.classes;
  return { annotate: (bin) => ecotaxaAnnotatorForBin(bin, services?.labels, services?.recordedProducts(bin.id) ?? []), groupByClass: request.groupByClass === true };
}
