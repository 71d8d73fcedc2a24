/**
 * Files and folders from the OS: launch arguments (first instance and `second-instance`), macOS `open-file`
 * (possibly before the app is ready: queued), the menu and dialogs — one path for all of them, which also keeps
 * Open Recent. Bins open in the viewer; folders join the library (or are only allowed without one).
 */
import fs from 'node:fs';
import { app } from 'electron';
import type { AppCore } from '../app/composition.ts';
import { deliverLaunchPath } from '../ipc/handlers/bin.ts';
import { classifyLaunchPaths, parseLaunchArgs, type LaunchPlatform } from '../shell/launch-args.ts';
import { parseRecent, pushRecent } from '../shell/recent-files.ts';
import { showOpenError } from './dialogs.ts';
import { readState, writeState } from './state-files.ts';

const RECENT = 'recent.json';

export interface OsOpens {
  /** Open one path the user chose (OS, menu, dialog); before `start` it waits in a queue. */
  open(p: string): void;
  /** Open what a launch's argv names (bins and folders). */
  openArgv(argv: readonly string[], cwd: string): void;
  /** The app is running: open everything that arrived early. */
  start(core: AppCore): void;
  readonly recent: readonly string[];
}

export function setupOsOpens(options: { platform: LaunchPlatform; ensureWindow: () => void; onRecentChanged: () => void }): OsOpens {
  let core: AppCore | null = null;
  let recent = parseRecent(readState(RECENT));
  const early: (() => void)[] = [];

  const openNow = (p: string, c: AppCore) => {
    // macOS keeps running without windows: a double-click then needs a new one (the bin waits in `pending`)
    options.ensureWindow();
    try {
      // a bin that cannot be opened is handed to the page (Open bins, with its code), not also to a native dialog
      if (!deliverLaunchPath(c.ctx, p)) return;
    } catch (e) {
      showOpenError(p, e); // only the unexpected
      return;
    }
    recent = pushRecent(recent, p, options.platform);
    writeState(RECENT, JSON.stringify(recent));
    app.addRecentDocument(p);
    options.onRecentChanged();
  };

  const openArgvNow = (argv: readonly string[], cwd: string, c: AppCore) => {
    const { paths } = parseLaunchArgs(argv, { platform: options.platform, packaged: app.isPackaged, cwd });
    const { bins, other } = classifyLaunchPaths(paths);
    for (const p of bins) openNow(p, c);
    const folders = other.filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
    // neither a bin file nor a folder: the page lists it under Open bins with the reason, as in browser mode
    for (const p of other) if (!folders.includes(p)) openNow(p, c);
    void c.addLaunchFolders(folders).catch((e: unknown) => showOpenError(folders.join(', '), e));
  };

  return {
    open(p) {
      if (core) openNow(p, core);
      else early.push(() => core && openNow(p, core));
    },
    openArgv(argv, cwd) {
      if (core) openArgvNow(argv, cwd, core);
      else early.push(() => core && openArgvNow(argv, cwd, core));
    },
    start(c) {
      core = c;
      for (const deliver of early.splice(0)) deliver();
    },
    get recent() {
      return recent;
    },
  };
}
