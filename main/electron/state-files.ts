/** Small JSON state files in the per-user app folder (window bounds, recent bins), written atomically. */
import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';

export function stateFile(name: string): string {
  return path.join(app.getPath('userData'), name);
}

export function readState(name: string): string | null {
  try {
    return fs.readFileSync(stateFile(name), 'utf8');
  } catch {
    return null;
  }
}

export function writeState(name: string, text: string): void {
  const file = stateFile(name);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  } catch (e) {
    console.error(`[ifcb] could not save ${file}`, e);
  }
}
