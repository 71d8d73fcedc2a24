/**
 * Where the library database lives. Free of native modules: a command asks this before deciding to load
 * better-sqlite3 (`export` reads stored calibrations only when a library exists).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { IfcbError } from '../../shared/errors.ts';
import { PRODUCT_NAME } from '../shell/app-identity.ts';

/** The catalogue's file name inside the app-data folder. */
export const DATABASE_FILE = 'catalogue.sqlite';

/**
 * Where the catalogue lives by default: `$IFCB_VIEWER_DB` if set, else `catalogue.sqlite` in the
 * per-user app-data folder Electron's `app.getPath('userData')` gives for productName "IFCB Viewer"
 * (Linux `$XDG_CONFIG_HOME` or `~/.config`, macOS `~/Library/Application Support`, Windows `%APPDATA%`).
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const override = env['IFCB_VIEWER_DB'];
  if (override !== undefined && override !== '') return path.resolve(override);
  if (platform === 'win32') {
    const appData = env['APPDATA'] || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, PRODUCT_NAME, DATABASE_FILE);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME, DATABASE_FILE);
  const config = env['XDG_CONFIG_HOME'] || path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME, DATABASE_FILE);
}

/** The database file: `db` when given, else the default; FILE_MISSING with `existing` when there is none yet. */
export function libraryPath(db: string | undefined, options: { existing?: boolean } = {}): string {
  const dbPath = db ?? defaultDatabasePath();
  if (options.existing && !existsSync(dbPath)) {
    throw new IfcbError('FILE_MISSING', `No catalogue at ${dbPath}: run "ifcb-viewer index DIR" first (or pass --db FILE)`, { dbPath });
  }
  return dbPath;
}
