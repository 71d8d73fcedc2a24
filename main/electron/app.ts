/**
 * The Electron entry point: single instance, files from the OS (argv on Windows/Linux, `open-file` on macOS —
 * also before the window exists), the File menu, native dialogs, remembered window bounds, and the wiring of the
 * router to IPC. Decisions live in main/shell/ and main/ipc/; this file only connects them to Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, screen, session, shell, type MenuItemConstructorOptions } from 'electron';
import { isIfcbError } from '../../shared/errors.ts';
import { attachCatalogue, createContext, type HandlerContext } from '../ipc/context.ts';
import { cataloguePort } from '../ipc/catalogue-adapter.ts';
import { runExport } from '../ipc/export-adapter.ts';
import { deliverOsOpen } from '../ipc/handlers/bin.ts';
import { addRootAt, startReindex } from '../ipc/handlers/roots.ts';
import { HANDLERS } from '../ipc/handlers/index.ts';
import type { DialogPort } from '../ipc/ports.ts';
import { Router } from '../ipc/router.ts';
import { openCatalogue, rebuildCatalogue, type Catalogue } from '../index/catalogue.ts';
import { catalogueRecovery } from '../shell/catalogue-recovery.ts';
import { classifyLaunchPaths, pathsFromArgv, type LaunchPlatform } from '../shell/launch-args.ts';
import { parseRecent, pushRecent } from '../shell/recent-files.ts';
import { fitWindowBounds, parseWindowState } from '../shell/window-state.ts';
import { registerIpc } from './ipc-electron.ts';
import { createMainWindow, guardContents, hardenSession, registerAppScheme, serveRenderer } from './window.ts';

const PRODUCT = 'IFCB Viewer';
/** Longest wait for cleanup (exports rolling back, watchers, the database) before quitting anyway. */
const QUIT_CLEANUP_LIMIT_MS = 10_000;
const platform = process.platform as LaunchPlatform;

let mainWindow: BrowserWindow | null = null;
let ctx: HandlerContext | null = null;
let catalogue: Catalogue | null = null;
/** Paths the OS handed us before the context existed (macOS `open-file` during launch). */
const earlyOpens: string[] = [];

function stateFile(name: string): string {
  return path.join(app.getPath('userData'), name);
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function writeText(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  } catch (e) {
    console.error(`[ifcb] could not save ${file}`, e);
  }
}

let recent: string[] = [];

/** Open a bin the user chose through the OS, the menu or a dialog; remember it in Open Recent. */
function openFromOs(p: string): void {
  if (!ctx) {
    earlyOpens.push(p);
    return;
  }
  // macOS keeps running without windows: a double-click then needs a new one (the bin waits in `pending`)
  if (mainWindow === null) createWindow();
  try {
    deliverOsOpen(ctx, p);
    recent = pushRecent(recent, p, process.platform);
    writeText(stateFile('recent.json'), JSON.stringify(recent));
    app.addRecentDocument(p);
    buildMenu();
  } catch (e) {
    const message = isIfcbError(e) ? e.message : 'The file could not be opened.';
    if (!isIfcbError(e)) console.error('[ifcb] open failed', e);
    void dialog.showMessageBox({ type: 'error', message: `Cannot open ${path.basename(p)}`, detail: message });
  }
}

function openLaunchArgs(argv: readonly string[], cwd: string): void {
  const { bins } = classifyLaunchPaths(pathsFromArgv(argv, { platform, packaged: app.isPackaged, cwd }));
  for (const p of bins) openFromOs(p);
}

const dialogs: DialogPort = {
  async openBin() {
    const options = { title: 'Open IFCB bin', properties: ['openFile' as const], filters: [{ name: 'IFCB bins', extensions: ['adc', 'hdr', 'roi'] }] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async addFolder() {
    const options = { title: 'Add folder to library', properties: ['openDirectory' as const] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async exportDestination(kind, suggestedName) {
    if (kind === 'folder') {
      const options = { title: 'Export to folder', properties: ['openDirectory' as const, 'createDirectory' as const] };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    }
    const options = { title: 'Export to zip', defaultPath: suggestedName ?? 'ifcb-export.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] };
    const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
};

function buildMenu(): void {
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((p) => ({ label: p, click: () => openFromOs(p) }))
    : [{ label: 'No recent bins', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Bin…',
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            void dialogs.openBin().then((p) => p && openFromOs(p));
          },
        },
        {
          label: 'Add Folder to Library…',
          accelerator: 'CmdOrCtrl+Shift+O',
          enabled: ctx?.catalogue !== undefined,
          click: () => {
            void dialogs.addFolder().then(async (p) => {
              if (!p || !ctx) return;
              try {
                await addRootAt(ctx, p);
                ctx.events.emit({ type: 'menu-command', command: 'show-library' });
              } catch (e) {
                void dialog.showMessageBox({ type: 'error', message: 'Cannot add the folder', detail: isIfcbError(e) ? e.message : String(e) });
              }
            });
          },
        },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: 'Export Selection…', accelerator: 'CmdOrCtrl+E', click: () => ctx?.events.emit({ type: 'menu-command', command: 'export-selection' }) },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Library', accelerator: 'CmdOrCtrl+L', click: () => ctx?.events.emit({ type: 'menu-command', command: 'show-library' }) },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The library database, and whether it was just rebuilt (then every root must be indexed again). */
function openCatalogueOrNothing(): { catalogue: Catalogue; rebuilt: boolean } | null {
  const file = stateFile('catalogue.sqlite');
  try {
    return { catalogue: openCatalogue(file), rebuilt: false };
  } catch (e) {
    console.error('[ifcb] the library database could not be opened', e);
    // offer a rebuild where it helps; otherwise the viewer still opens single bins and the library says why it is missing
    const offer = catalogueRecovery(e);
    const choice = dialog.showMessageBoxSync({ type: 'warning', title: PRODUCT, message: offer.message, detail: offer.detail, buttons: offer.buttons, defaultId: 0, cancelId: offer.buttons.length - 1 });
    if (choice !== offer.rebuildButton) return null;
    try {
      return { catalogue: rebuildCatalogue(file), rebuilt: true };
    } catch (err) {
      dialog.showErrorBox(PRODUCT, `The library could not be rebuilt: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }
}

function createWindow(): void {
  const saved = parseWindowState(readText(stateFile('window-state.json')));
  const state = fitWindowBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = createMainWindow({
    preloadPath: path.join(app.getAppPath(), 'dist', 'preload', 'index.cjs'),
    bounds: state.bounds,
    maximized: state.maximized,
    title: PRODUCT,
  });
  const save = () => {
    if (win.isDestroyed()) return;
    writeText(stateFile('window-state.json'), JSON.stringify({ bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
  };
  win.on('close', save);
  win.on('closed', () => {
    mainWindow = null;
    if (ctx) ctx.pageReady = false;
  });
  mainWindow = win;
}

// macOS delivers double-clicked files through `open-file`, possibly before `ready`: queue them.
app.on('open-file', (event, p) => {
  event.preventDefault();
  openFromOs(p);
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();

  app.on('second-instance', (_event, argv, workingDirectory) => {
    openLaunchArgs(argv, workingDirectory);
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_event, contents) => guardContents(contents));

  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  // Quitting waits (bounded) for cleanup: running exports remove their staging folder, watchers stop and the
  // database closes. The first will-quit is held back; the second, after cleanup, goes through.
  let cleanedUp = false;
  let cleaning = false;
  app.on('will-quit', (event) => {
    if (cleanedUp) return;
    event.preventDefault();
    if (cleaning) return;
    cleaning = true;
    const cleanup = Promise.allSettled([ctx?.jobs.dispose(), ...[...(ctx?.watches.values() ?? [])].map((w) => w.close()), catalogue?.close()]);
    // a hung file system (a share that went away) must not keep the app from quitting
    const limit = new Promise<void>((resolve) => setTimeout(resolve, QUIT_CLEANUP_LIMIT_MS).unref());
    void Promise.race([cleanup, limit]).then(() => {
      cleanedUp = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    serveRenderer(path.join(app.getAppPath(), 'dist', 'renderer'));
    recent = parseRecent(readText(stateFile('recent.json')));
    ctx = createContext({
      app: { name: PRODUCT, version: app.getVersion(), transport: 'electron', platform: process.platform },
      dialogs,
      exporter: runExport,
      // only ever called with a destination main itself exported to (checklist 15)
      desktop: { showItemInFolder: (p) => shell.showItemInFolder(p) },
    });
    const opened = openCatalogueOrNothing();
    if (opened) {
      catalogue = opened.catalogue;
      attachCatalogue(ctx, cataloguePort(catalogue), { watch: true });
      // a rebuilt library is indexed as a job: progress and completion reach the page, and quitting cancels it
      if (opened.rebuilt) startReindex(ctx, undefined);
    }
    const router = new Router(ctx, HANDLERS);
    registerIpc(router, ctx.events, () => mainWindow);
    buildMenu();
    createWindow();
    for (const p of earlyOpens.splice(0)) openFromOs(p);
    openLaunchArgs(process.argv, process.cwd());
  });
}
