/**
 * Which command-line arguments are files to open, and the app's own switches. Windows and Linux pass
 * double-clicked files in argv (first launch) and in the `second-instance` argv (app already running) — as paths,
 * or as `file://` URLs from a desktop entry's `%U` (the AppImage's); macOS uses `open-file` instead but may add
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

/** The app's own switches that take a value (`--db FILE` or `--db=FILE`); Chromium's always use `=`. */
const VALUE_SWITCHES = ['--db', '--smoke-test', '--out'] as const;
/** The app's own flags. */
const FLAG_SWITCHES = ['--no-library'] as const;

export interface LaunchSwitches {
  /** `--db FILE`: the library database instead of the per-user default. */
  db: string | null;
  /** `--no-library`: open bins one by one, never touch a library database. */
  noLibrary: boolean;
  /** `--smoke-test BIN`: check the packaged app on this bin and exit (main/shell/smoke-test.ts). */
  smokeTest: string | null;
  /** `--out DIR`: where the smoke test writes its report and screenshot. */
  out: string | null;
}

export interface LaunchArgs extends LaunchSwitches {
  /** Files and folders to open, absolute, de-duplicated, in order (the smoke test's bin among them). */
  paths: string[];
}

/**
 * A `file:` URL as a local path, or null when it is not one we can open (another host, malformed). Written out
 * because Node 20's fileURLToPath only knows the running platform's rules.
 */
export function pathFromFileUrl(raw: string, platform: LaunchPlatform): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'file:' || url.search !== '' || url.hash !== '') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname === '') return null;
  const host = url.hostname === 'localhost' ? '' : url.hostname;
  if (platform === 'win32') {
    const windowsPath = pathname.replace(/\//g, '\\');
    if (host !== '') return `\\\\${host}${windowsPath}`; // UNC share
    return /^\\[a-zA-Z]:/.test(windowsPath) ? windowsPath.slice(1) : null;
  }
  return host === '' ? pathname : null;
}

/** Split an argv into the app's switches and the paths to open (see pathsFromArgv for the rules). */
export function parseLaunchArgs(argv: readonly string[], options: LaunchArgsOptions): LaunchArgs {
  const switches: LaunchSwitches = { db: null, noLibrary: false, smokeTest: null, out: null };
  const rest: string[] = [...argv.slice(0, options.packaged ? 1 : 2)];
  const args = argv.slice(options.packaged ? 1 : 2);
  const set = (name: (typeof VALUE_SWITCHES)[number], value: string) => {
    if (name === '--db') switches.db = value;
    else if (name === '--smoke-test') {
      switches.smokeTest = value;
      rest.push(value); // the smoke test opens its bin like any launch argument
    } else switches.out = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const name = VALUE_SWITCHES.find((s) => arg === s || arg.startsWith(`${s}=`));
    if (name !== undefined) {
      const value = arg === name ? args[++i] : arg.slice(name.length + 1);
      if (value !== undefined && value !== '') set(name, value);
    } else if ((FLAG_SWITCHES as readonly string[]).includes(arg)) switches.noLibrary = true;
    else rest.push(arg);
  }
  const resolve = (p: string) => (options.platform === 'win32' ? path.win32 : path.posix).resolve(options.cwd, p);
  return {
    ...switches,
    db: switches.db === null ? null : resolve(switches.db),
    out: switches.out === null ? null : resolve(switches.out),
    smokeTest: switches.smokeTest === null ? null : (pathsFromArgv(['', switches.smokeTest], { ...options, packaged: true })[0] ?? null),
    paths: pathsFromArgv(rest, options),
  };
}

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
    const local = /^file:/i.test(unquoted) ? pathFromFileUrl(unquoted, options.platform) : unquoted;
    if (local === null) continue;
    const absolute = flavour.resolve(options.cwd, local);
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
