/**
 * What the desktop app offers when the library database cannot be opened (issue: "a corrupt or locked
 * database gives a clear error and an offer to rebuild, never a crash"). A rebuild is offered only where it
 * helps (damaged, or written by a newer version); never for a locked database or a full / failing disk.
 * Pure, so a Node test covers it; main/electron/app.ts only shows the message box.
 */
import { isIfcbError } from '../../shared/errors.ts';
import type { RebuildReport } from '../index/catalogue.ts';

export interface CatalogueRecovery {
  message: string;
  detail: string;
  /** Button labels, in order; the last is the default "carry on without the library". */
  buttons: string[];
  /** Index of the "Rebuild" button, or -1 when a rebuild would not help. */
  rebuildButton: number;
}

const CONTINUE = 'Continue without the library';

/** The dialog for an error thrown by `openCatalogue`. */
export function catalogueRecovery(error: unknown): CatalogueRecovery {
  const detail = error instanceof Error ? error.message : String(error);
  // the catalogue says when a rebuild cannot help (e.g. its path is a folder): details.rebuild === false
  if ((isIfcbError(error, 'DB_CORRUPT') || isIfcbError(error, 'DB_TOO_NEW')) && error.details?.['rebuild'] !== false) {
    return {
      message:
        error.code === 'DB_CORRUPT'
          ? 'The library database is damaged.'
          : 'The library database was written by a newer version of IFCB Viewer.',
      detail: `${detail}\n\nRebuilding moves the old file aside (it is not deleted), carries over what can still be read of your library folders, labels, results folders, calibrations and class lists, and indexes the folders again. Your IFCB files are not touched.`,
      buttons: ['Rebuild the library', CONTINUE],
      rebuildButton: 0,
    };
  }
  if (isIfcbError(error, 'DB_IO')) {
    // a full or failing disk: the file is not damaged, and a rebuild would only lose it
    return { message: 'The library database could not be read or written.', detail, buttons: [CONTINUE], rebuildButton: -1 };
  }
  if (isIfcbError(error, 'DB_LOCKED')) {
    // another process holds it: rebuilding would pull the file from under it
    return { message: 'The library database is in use by another IFCB Viewer.', detail, buttons: [CONTINUE], rebuildButton: -1 };
  }
  return { message: 'The library database cannot be opened.', detail, buttons: [CONTINUE], rebuildButton: -1 };
}

/** "1 label" / "1,204 labels". */
function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The salvaged tables in words. */
const TABLE_WORDS: Record<string, string> = { roots: 'library folders', results_folders: 'results folders', calibrations: 'calibrations', labels: 'labels', class_lists: 'class lists' };

/** What a rebuild did, in lines for the CLI and the desktop app's message after "Rebuild the library". */
export function describeRebuild(report: RebuildReport): string[] {
  const words = (table: string) => TABLE_WORDS[table] ?? table;
  const lines: string[] = [];
  if (report.movedTo) lines.push(`The old library file was moved to ${report.movedTo}.`);
  const r = report.restored;
  const carried = [
    count(report.roots, 'library folder', 'library folders'),
    count(r.labels, 'label', 'labels'),
    count(r.resultsFolders, 'results folder', 'results folders'),
    count(r.calibrations, 'calibration', 'calibrations'),
    count(r.classLists, 'class list', 'class lists'),
  ];
  lines.push(`Carried over: ${carried.join(', ')}.`);
  if (report.rootsNotFound.length > 0) lines.push(`Not found any more, so not carried over: ${report.rootsNotFound.join(', ')}.`);
  const malformed = Object.entries(report.malformed).map(([table, n]) => `${count(n, 'entry', 'entries')} of ${words(table)}`);
  if (malformed.length > 0) lines.push(`Left out as unreadable: ${malformed.join(', ')}.`);
  if (report.damaged.length > 0) lines.push(`Could not be read, whole or in part, from the old file: ${report.damaged.map(words).join(', ')}.`);
  return lines;
}
