/**
 * `npm start` on a machine with an Electron binary: bring build/app up to date (scripts/build.ts --stage rebuilds
 * dist/ when any source is newer, and installs the runtime dependencies for Electron the first time), then run
 * Electron on it with the same options the browser path honours (--db, --no-library, bin files and folders).
 * Kept apart from main/start.ts, which decides between this and the loopback bridge.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsStale, electronArgs } from './shell/electron-launch.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const APP_DIR = path.join(ROOT, 'build', 'app');
/** What the built app is made from: any change here means build again. */
const SOURCES = ['main', 'preload', 'shared', 'renderer', 'vite.config.ts', 'package.json', 'package-lock.json'];
const OUTPUTS = ['dist/main/electron/app.js', 'dist/main/electron/index-worker.js', 'dist/preload/index.cjs', 'dist/renderer/index.html'];

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Build and stage when stale; false when that failed (no network for the Electron build of the dependencies). */
function ensureStaged(): boolean {
  const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  const outputs = OUTPUTS.map((o) => fs.statSync(path.join(APP_DIR, o), { throwIfNoEntry: false })?.mtimeMs);
  if (!buildIsStale(newestSource, outputs) && fs.existsSync(path.join(APP_DIR, 'node_modules'))) return true;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/build.ts'), '--stage'], { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0;
}

/** Run the Electron app; resolves to its exit code, or null when it could not be prepared (the caller falls back). */
export async function launchElectron(electron: string, options: { paths: string[]; db?: string | undefined; noLibrary?: boolean | undefined }): Promise<number | null> {
  if (!ensureStaged()) {
    console.error('Could not prepare the Electron app (its native modules need a download the first time).');
    return null;
  }
  const child = spawn(electron, electronArgs({ appDir: APP_DIR, ...options }), { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}
