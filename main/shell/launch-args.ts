/**
 * Which command-line arguments are files to open. Windows and Linux pass double-clicked files in argv (first
 * launch) and in the `second-instance` argv (app already running); macOS uses `open-file` instead but may add
 * `-psn_…` process-serial arguments. Electron/Chromium switches and the executable/app path are skipped.
 */
import path from 'node:path';
import { tryParseBinName } from '../../shared/ifcb/bin-id.ts';

export type LaunchPlatform = 'win32' | 'linux' | 'darwin';

export interface LaunchArgsOptions {
  platform: LaunchPlatform;
  /** True when running from the packaged app (argv = [exe, ...files]); false in dev (argv = [electron, appDir, ...files]). */
  packaged: boolean;
  /** The working directory of the launching process (second-instance passes its own). */
  cwd: string;
}

const BIN_FILE = /\.(adc|hdr|roi)$/i;

/** The candidate paths in an argv, absolute, de-duplicated, in order. */
export function pathsFromArgv(argv: readonly string[], options: LaunchArgsOptions): string[] {
  const flavour = options.platform === 'win32' ? path.win32 : path.posix;
  const args = argv.slice(options.packaged ? 1 : 2);
  const out: string[] = [];
  const seen = new Set<string>();
  let afterDoubleDash = false;
  for (const raw of args) {
    if (!afterDoubleDash && raw === '--') {
      afterDoubleDash = true;
      continue;
    }
    if (!afterDoubleDash && (raw.startsWith('-') || raw === '')) continue; // switches, incl. macOS -psn_0_12345
    if (raw.includes('\0')) continue;
    const unquoted = options.platform === 'win32' ? raw.replace(/^"(.*)"$/, '$1') : raw;
    const absolute = flavour.resolve(options.cwd, unquoted);
    const key = options.platform === 'win32' ? absolute.toLowerCase() : absolute;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(absolute);
  }
  return out;
}

/** Whether a path names one of a bin's files (`<bin id>.adc|.hdr|.roi`). */
export function isBinFile(p: string): boolean {
  const name = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  if (!BIN_FILE.test(name)) return false;
  const parsed = tryParseBinName(name);
  return parsed !== null && name.length === parsed.id.length + 4;
}

/** Split launch paths into bins to open (one per bin, even if .adc and .roi of it were both given) and the rest. */
export function classifyLaunchPaths(paths: readonly string[]): { bins: string[]; other: string[] } {
  const bins: string[] = [];
  const other: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    if (!isBinFile(p)) {
      other.push(p);
      continue;
    }
    const base = p.slice(0, -4).toLowerCase();
    if (seen.has(base)) continue;
    seen.add(base);
    bins.push(p);
  }
  return { bins, other };
}
