/** Native dialogs: the DialogPort the handlers use, error boxes, and the library recovery question. */
import path from 'node:path';
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { isIfcbError } from '../../shared/errors.ts';
import { describeRebuild, openLibrary, rebuildLibrary, type LibraryOwner } from '../app/library.ts';
import type { Catalogue } from '../index/catalogue.ts';
import type { DialogPort } from '../ipc/ports.ts';
import { PRODUCT_NAME } from '../shell/app-identity.ts';
import { catalogueRecovery } from '../shell/catalogue-recovery.ts';

/** Dialogs attached to the main window when there is one. */
export function setupDialogs(getWindow: () => BrowserWindow | null): DialogPort {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const save = async (options: SaveDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
  const openMany = async (options: OpenDialogOptions): Promise<string[] | null> => {
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
  };
  return {
    openBin: () => open({ title: 'Open IFCB bin', properties: ['openFile'], filters: [{ name: 'IFCB bins', extensions: ['adc', 'hdr', 'roi'] }] }),
    addFolder: () => open({ title: 'Add folder to library', properties: ['openDirectory'] }),
    exportDestination: (kind, suggestedName) =>
      kind === 'folder'
        ? open({ title: 'Export to folder', properties: ['openDirectory', 'createDirectory'] })
        : save({ title: 'Export to zip', defaultPath: suggestedName ?? 'ifcb-export.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] }),
    resultsFolder: () => open({ title: 'Add a results folder (classifier results, features, blobs, manual labels)', properties: ['openDirectory'] }),
    importLabels: () =>
      openMany({
        title: 'Import labels or class lists',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Labels and class lists', extensions: ['mat', 'csv', 'sqlite', 'sqlite3', 'db', 'txt'] },
          { name: 'All files', extensions: ['*'] },
        ],
      }),
  };
}

/** Tell the user a file or folder could not be opened (an IfcbError's own message, otherwise a generic one). */
export function showOpenError(what: string, e: unknown): void {
  const message = isIfcbError(e) ? e.message : 'The file could not be opened.';
  if (!isIfcbError(e)) console.error('[ifcb] open failed', e);
  void dialog.showMessageBox({ type: 'error', message: `Cannot open ${path.basename(what)}`, detail: message });
}

/**
 * The library database, and whether it was just rebuilt (then every folder is indexed again). A damaged or
 * too-new database is offered a rebuild; otherwise (or when declined) null: bins still open one by one and the
 * library says why it is missing. Blocks on the dialog, before any window exists. `owner` closes the database.
 */
export function openLibraryAsking(owner: LibraryOwner, file: string): { catalogue: Catalogue; rebuilt: boolean } | null {
  try {
    return { catalogue: openLibrary(owner, file), rebuilt: false };
  } catch (e) {
    console.error('[ifcb] the library database could not be opened', e);
    const offer = catalogueRecovery(e);
    const choice = dialog.showMessageBoxSync({ type: 'warning', title: PRODUCT_NAME, message: offer.message, detail: offer.detail, buttons: offer.buttons, defaultId: 0, cancelId: offer.buttons.length - 1 });
    if (choice !== offer.rebuildButton) return null;
    try {
      const catalogue = rebuildLibrary(owner, file);
      if (catalogue.rebuiltFrom) dialog.showMessageBoxSync({ type: 'info', title: PRODUCT_NAME, message: 'The library was rebuilt.', detail: describeRebuild(catalogue.rebuiltFrom).join('\n') });
      return { catalogue, rebuilt: true };
    } catch (err) {
      dialog.showErrorBox(PRODUCT_NAME, `The library could not be rebuilt: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }
}
