/**
 * What the desktop app offers when the library database cannot be opened (issue: "a corrupt or locked
 * database gives a clear error and an offer to rebuild, never a crash"). A rebuild is offered only where it
 * helps (damaged, or written by a newer version); never for a locked database or a full / failing disk.
 * Pure, so a Node test covers it; main/electron/app.ts only shows the message box.
 */
import { isIfcbError } from '../../shared/errors.ts';

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
