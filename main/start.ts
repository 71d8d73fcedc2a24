/**
 * `npm start -- [PATH…]`: the Electron app when an Electron binary is installed (main/electron-launch.ts);
 * otherwise (as on machines where Electron cannot be downloaded) the same viewer served by the loopback bridge
 * (main/start-browser.ts), whose URL is printed. Bin files
 * given are opened (as if double-clicked); folders join the library (indexed in the background) or, without a
 * library database, are simply allowed. Options: --port N, --db FILE, --no-library, --browser (skip Electron).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveInBrowser } from './start-browser.ts';
import { launchElectron } from './electron-launch.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The Electron executable if the `electron` package has its binary, else null. */
export function electronBinary(): string | null {
  try {
    const exe = createRequire(import.meta.url)('electron') as unknown;
    return typeof exe === 'string' && fs.existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

/** The browser path serves dist/renderer: build it when it is missing. */
function ensureRendererBuilt(): void {
  if (fs.existsSync(path.join(ROOT, 'dist/renderer/index.html'))) return;
  const args = [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/build.ts'), '--renderer-only'];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

const DOWNLOAD_FAILED_MARKER = path.join(ROOT, 'node_modules/.cache/ifcb-viewer/electron-download-failed');
const RETRY_DOWNLOAD_AFTER_MS = 24 * 3600 * 1000;

/**
 * package.json denies electron's install script so that `npm install` succeeds offline; on a machine with network
 * the first `npm start` fetches the binary with electron's own installer instead. A failure is remembered for a
 * day so offline starts do not wait on the network every time.
 */
function downloadElectronOnce(): string | null {
  const failedAt = fs.statSync(DOWNLOAD_FAILED_MARKER, { throwIfNoEntry: false })?.mtimeMs;
  if (failedAt !== undefined && Date.now() - failedAt < RETRY_DOWNLOAD_AFTER_MS) return null;
  const installer = path.join(ROOT, 'node_modules/electron/install.js');
  if (!fs.existsSync(installer)) return null;
  console.log('Fetching the Electron binary (first start only)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), env, stdio: 'ignore', timeout: 300_000 });
  const exe = result.status === 0 ? electronBinary() : null;
  if (!exe) {
    fs.mkdirSync(path.dirname(DOWNLOAD_FAILED_MARKER), { recursive: true });
    fs.writeFileSync(DOWNLOAD_FAILED_MARKER, `electron download failed (exit ${result.status ?? result.signal})\n`);
  }
  return exe;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, db: { type: 'string' }, 'no-library': { type: 'boolean' }, browser: { type: 'boolean' } },
  });
  const electron = values.browser ? null : (electronBinary() ?? downloadElectronOnce());
  if (electron) {
    const code = await launchElectron(electron, { paths: positionals.map((p) => path.resolve(p)), db: values.db, noLibrary: values['no-library'] });
    if (code !== null) return code;
  }
  ensureRendererBuilt();
  const server = await serveInBrowser({
    paths: positionals,
    ...(values.db ? { db: values.db } : {}),
    noLibrary: values['no-library'] === true,
    ...(values.port ? { port: Number(values.port) } : {}),
    rendererDir: path.join(ROOT, 'dist/renderer'),
    version: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  });
  console.log(values.browser ? 'Serving the viewer on the loopback bridge.' : 'No Electron binary here: serving the viewer on the loopback bridge.');
  console.log(`Open ${server.url}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
