/** The main window, placed where it was last time (fitted onto today's displays) and remembered on close. */
import path from 'node:path';
import { app, screen, type BrowserWindow } from 'electron';
import { PRODUCT_NAME } from '../shell/app-identity.ts';
import { fitWindowBounds, parseWindowState } from '../shell/window-state.ts';
import { readState, writeState } from './state-files.ts';
import { createMainWindow } from './window.ts';

const STATE = 'window-state.json';

/** Create the main window at its remembered place; `hidden` keeps it off screen (the smoke test). */
export function setupRememberedWindow(options: { hidden: boolean }): BrowserWindow {
  const state = fitWindowBounds(
    parseWindowState(readState(STATE)),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const win = createMainWindow({
    preloadPath: path.join(app.getAppPath(), 'dist', 'preload', 'index.cjs'),
    bounds: state.bounds,
    maximized: state.maximized,
    title: PRODUCT_NAME,
    hidden: options.hidden,
  });
  win.on('close', () => {
    if (win.isDestroyed() || options.hidden) return;
    writeState(STATE, JSON.stringify({ bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
  });
  return win;
}
