/**
 * `npm start -- [PATH…]`: the Electron app when an Electron binary is installed; otherwise (as on machines where
 * Electron cannot be downloaded) the same viewer served by the loopback bridge, whose URL is printed. Bin files
 * given are opened (as if double-clicked); folders join the library (indexed in the background) or, without a
 * library database, are simply allowed. Options: --port N, --db FILE, --no-library.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cataloguePort } from './ipc/catalogue-adapter.ts';
import { addRootAt } from './ipc/handlers/roots.ts';
import { startViewerServer } from './http-bridge/index.ts';
import { openCatalogue, defaultDatabasePath } from './index/catalogue.ts';
import { classifyLaunchPaths } from './shell/launch-args.ts';

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

function ensureBuilt(kind: 'renderer' | 'all'): void {
  const needed = kind === 'renderer' ? [path.join(ROOT, 'dist/renderer/index.html')] : [path.join(ROOT, 'dist/renderer/index.html'), path.join(ROOT, 'dist/main/electron/app.js'), path.join(ROOT, 'dist/preload/index.cjs')];
  if (needed.every((f) => fs.existsSync(f))) return;
  const args = [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'scripts/build.ts'), ...(kind === 'renderer' ? ['--renderer-only'] : [])];
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, db: { type: 'string' }, 'no-library': { type: 'boolean' } },
  });
  const electron = electronBinary();
  if (electron) {
    ensureBuilt('all');
    const child = spawn(electron, [ROOT, ...positionals.map((p) => path.resolve(p))], { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  ensureBuilt('renderer');
  const resolved = positionals.map((p) => path.resolve(p));
  const { bins, other } = classifyLaunchPaths(resolved);
  const folders = other.filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
  for (const p of other) if (!folders.includes(p)) console.error(`not a bin file or folder, ignored: ${p}`);
  let catalogue = null;
  if (!values['no-library']) {
    try {
      catalogue = openCatalogue(values.db ?? defaultDatabasePath());
    } catch (e) {
      console.error(`library unavailable (${e instanceof Error ? e.message : String(e)}); opening bins one by one`);
    }
  }
  const server = await startViewerServer({
    files: bins,
    roots: catalogue ? [] : folders,
    rendererDir: path.join(ROOT, 'dist/renderer'),
    ...(catalogue ? { catalogue: cataloguePort(catalogue), watchRoots: true } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
    version: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  });
  if (catalogue) for (const folder of folders) await addRootAt(server.ctx, folder);
  console.log('No Electron binary here: serving the viewer on the loopback bridge.');
  console.log(`Open ${server.url}`);
  const stop = async () => {
    await server.close();
    await catalogue?.close();
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
