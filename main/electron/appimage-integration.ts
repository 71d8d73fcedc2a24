/** Register a running AppImage's file types for the user (decisions in main/shell/appimage-integration.ts). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appImageIntegration } from '../shell/appimage-integration.ts';

/** Write the files that changed, then let the desktop rebuild its MIME and application caches (best effort). */
export function setupAppImageIntegration(env: NodeJS.ProcessEnv = process.env): void {
  const files = appImageIntegration(env);
  if (files === null) return;
  let changed = false;
  for (const file of files) {
    try {
      if (fs.readFileSync(file.path, { encoding: 'utf8', flag: 'r' }) === file.content) continue;
    } catch {
      // absent: write it
    }
    try {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(`${file.path}.tmp`, file.content);
      fs.renameSync(`${file.path}.tmp`, file.path);
      changed = true;
    } catch (e) {
      console.error(`[ifcb] could not register the AppImage (${file.path})`, e);
    }
  }
  if (!changed) return;
  for (const [tool, dir] of [
    ['update-mime-database', path.dirname(path.dirname(files[0]!.path))],
    ['update-desktop-database', path.dirname(files[1]!.path)],
  ] as const) {
    // missing tools (a minimal desktop) just mean the caches refresh at the next login
    const child = spawn(tool, [dir], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  }
}
