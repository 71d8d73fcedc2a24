/**
 * The Electron entry point: only Electron wiring, in start-up order. The app itself is composed once in
 * main/app/composition.ts; each feature is set up by its own file (setupX, as in Electron Fiddle):
 *   os-open.ts       launch arguments, second instance, macOS open-file, Open Recent
 *   dialogs.ts       native dialogs and the library recovery question
 *   menu.ts          the application menu
 *   window-state.ts  the main window at its remembered place
 *   smoke-test.ts    `--smoke-test BIN [--out DIR]`: the packaged app checks itself and exits 0/1
 *   appimage-integration.ts  an AppImage registers its file types for the user
 * Order matters (main/shell/lifecycle.ts): no window before the core, the library (and its recovery dialog) and
 * IPC exist; macOS `activate` is only listened to from then on; quitting waits, bounded, for the core to stop.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, session, shell, type BrowserWindow } from 'electron';
import { composeApp, type AppCore } from '../app/composition.ts';
import { prepareDemoLibrary } from '../demo/demo-library.ts';
import { libraryPath } from '../app/library.ts';
import { cataloguePort } from '../ipc/catalogue-adapter.ts';
import { runExport } from '../ipc/export-adapter.ts';
import { addRootAt } from '../ipc/handlers/roots.ts';
import { APP_USER_MODEL_ID, PRODUCT_NAME } from '../shell/app-identity.ts';
import { parseLaunchArgs, type LaunchPlatform } from '../shell/launch-args.ts';
import { MainWindowSlot } from '../shell/lifecycle.ts';
import { smokePlan, type SmokePlan } from '../shell/smoke-test.ts';
import { setupAppImageIntegration } from './appimage-integration.ts';
import { openLibraryAsking, setupDialogs } from './dialogs.ts';
import { registerIpc } from './ipc-electron.ts';
import { setupMenu } from './menu.ts';
import { setupOsOpens } from './os-open.ts';
import { runSmokeTest } from './smoke-test.ts';
import { setupRememberedWindow } from './window-state.ts';
import { guardContents, hardenSession, registerAppScheme, serveRenderer } from './window.ts';

/** Longest wait for cleanup (exports rolling back, watchers, the database) before quitting anyway. */
const QUIT_CLEANUP_LIMIT_MS = 10_000;
const platform = process.platform as LaunchPlatform;

const launch = parseLaunchArgs(process.argv, { platform, packaged: app.isPackaged, cwd: process.cwd() });
const smoke = smokePlan(launch, process.cwd());
const windows = new MainWindowSlot<BrowserWindow>();
let core: AppCore | null = null;
let refreshMenu: () => void = () => undefined;
let exitCode = 0;

const opens = setupOsOpens({
  platform,
  ensureWindow: () => {
    if (windows.needsWindow()) openWindow();
  },
  onRecentChanged: () => refreshMenu(),
});

function openWindow(): BrowserWindow {
  const win = setupRememberedWindow({ hidden: smoke !== null });
  windows.hold(win);
  win.on('closed', () => {
    if (windows.release(win) && core) core.ctx.pageReady = false;
  });
  return win;
}

function ready(plan: SmokePlan | null): void {
  hardenSession(session.defaultSession);
  serveRenderer(path.join(app.getAppPath(), 'dist', 'renderer'));
  const dialogs = setupDialogs(() => windows.window);
  const c = composeApp({
    app: { name: PRODUCT_NAME, version: app.getVersion(), transport: 'electron', platform: process.platform },
    dialogs,
    exporter: runExport,
    // only ever called with a destination main itself exported to (checklist 15)
    desktop: { showItemInFolder: (p) => shell.showItemInFolder(p) },
  });
  core = c;
  // the smoke test never touches the user's library
  const dbPath = libraryPath(launch.db ?? undefined);
  const library = launch.noLibrary || plan ? null : openLibraryAsking(c.libraryStore, dbPath);
  if (library) {
    c.attachLibrary({ port: cataloguePort(library.catalogue), watch: true, reindex: library.rebuilt });
    if (launch.paths.length === 0) offerDemoLibrary(c, path.dirname(dbPath), library.catalogue.listRoots().length);
  }
  c.store.add('IPC handlers', registerIpc(c.router, c.ctx.events, () => windows.window));
  refreshMenu = setupMenu({ platform, core: c, dialogs, opens });
  windows.markRunning();
  app.on('activate', () => {
    if (windows.needsWindow()) openWindow();
  });
  const win = openWindow();
  opens.openArgv(process.argv, process.cwd());
  opens.start(c);
  if (platform === 'linux' && !plan) setupAppImageIntegration();
  if (plan) {
    void runSmokeTest(plan, win).then((code) => {
      exitCode = code;
      app.quit();
    });
  }
}

/** A first start with nothing to open and an empty library gets the demo, beside the database (offered once). */
function offerDemoLibrary(c: AppCore, appDataDir: string, rootCount: number): void {
  try {
    const demo = prepareDemoLibrary(appDataDir, rootCount);
    if (demo) void addRootAt(c.ctx, demo).catch((e: unknown) => console.error('[ifcb] the demo library could not be added', e));
  } catch (e) {
    console.error('[ifcb] the demo library could not be written; starting without it', e);
  }
}

function start(plan: SmokePlan | null): void {
  // Windows groups the taskbar button and notifications under the ID the installer gave the shortcut
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  registerAppScheme();
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
  // Quitting waits (bounded) for the core to stop: running exports remove their staging folder, watchers stop
  // and the database closes. The first will-quit is held back; after cleanup the app exits.
  let cleaning = false;
  app.on('will-quit', (event) => {
    event.preventDefault();
    if (cleaning) return;
    cleaning = true;
    windows.markQuitting();
    // a hung file system (a share that went away) must not keep the app from quitting
    const limit = new Promise<void>((resolve) => setTimeout(resolve, QUIT_CLEANUP_LIMIT_MS).unref());
    void Promise.race([core?.dispose(), limit]).then(() => app.exit(exitCode));
  });
  void app.whenReady().then(() => ready(plan));
}

// macOS delivers double-clicked files through `open-file`, possibly before `ready`: they wait in os-open's queue.
app.on('open-file', (event, p) => {
  event.preventDefault();
  opens.open(p);
});

if (smoke !== null && 'error' in smoke) {
  console.error(`${PRODUCT_NAME}: ${smoke.error}`);
  app.exit(2);
} else if (smoke !== null) {
  // its own instance (not handed to a running app), with a throw-away profile, at one device pixel per CSS pixel
  app.setPath('userData', fs.mkdtempSync(path.join(os.tmpdir(), 'ifcb-viewer-smoke-')));
  app.commandLine.appendSwitch('force-device-scale-factor', '1');
  start(smoke);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    opens.openArgv(argv, workingDirectory);
    const win = windows.window;
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  start(null);
}
