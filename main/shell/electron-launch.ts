/**
 * Decisions behind starting the real Electron app from the project (`npm start` with an Electron binary,
 * `npm run smoke`): the arguments that carry `--db`/`--no-library` and the paths to the app, whether the built app
 * is older than its sources, and where electron-builder puts the packaged executable on each OS. Pure; the
 * launching itself is main/electron-launch.ts and scripts/smoke.ts.
 */
import path from 'node:path';

export interface ElectronLaunch {
  /** The app directory Electron runs (build/app: dist + dependencies built for Electron). */
  appDir: string;
  /** Bins and folders to open, already absolute. */
  paths: readonly string[];
  db?: string | undefined;
  noLibrary?: boolean | undefined;
}

/** Electron's argv after the executable: the app, our switches, then `--` and the paths (so none reads as a switch). */
export function electronArgs(launch: ElectronLaunch): string[] {
  return [launch.appDir, ...(launch.db ? ['--db', launch.db] : []), ...(launch.noLibrary ? ['--no-library'] : []), ...(launch.paths.length ? ['--', ...launch.paths] : [])];
}

/**
 * Whether the build must run again: an output is missing, or some source is newer than the oldest output
 * (a `dist/` left from an older checkout must never be launched).
 */
export function buildIsStale(newestSourceMs: number, outputMs: readonly (number | undefined)[]): boolean {
  if (outputMs.length === 0 || outputMs.some((t) => t === undefined)) return true;
  return newestSourceMs > Math.min(...(outputMs as number[]));
}

/** The packaged app's executable inside electron-builder's output folder (`release/`), per OS. */
export function packagedExecutable(releaseDir: string, platform: NodeJS.Platform, arch: string, productName: string, executableName: string): string {
  if (platform === 'win32') return path.win32.join(releaseDir, arch === 'x64' ? 'win-unpacked' : `win-${arch}-unpacked`, `${productName}.exe`);
  if (platform === 'darwin') return path.posix.join(releaseDir, arch === 'arm64' ? 'mac-arm64' : 'mac', `${productName}.app`, 'Contents', 'MacOS', productName);
  return path.posix.join(releaseDir, arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`, executableName);
}
