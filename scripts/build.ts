/**
 * `npm run build`: the renderer with `vite build` (vite.config.ts → dist/renderer), then esbuild bundles of the
 * Electron main process (ESM, node_modules external so native modules load from the unpacked asar) with the
 * catalogue's index worker beside it, and the preload (one CJS file: a sandboxed preload can only `require`
 * electron and a few built-ins), and the `ifcb-viewer` command line (buildCli). Flags: --main-only /
 * --renderer-only / --cli-only.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build, type OutputFile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const at = (...p: string[]) => path.join(ROOT, ...p);

/** Build the renderer with the project's vite config. */
export function buildRenderer(): void {
  const vite = at('node_modules', '.bin', process.platform === 'win32' ? 'vite.cmd' : 'vite');
  const result = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
}

/** Bundle main (Electron entry + index worker) and the preload into dist/. */
export async function buildMainAndPreload(outDir = at('dist')): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, target: 'node22', sourcemap: true, logLevel: 'warning' as const, legalComments: 'none' as const };
  await build({
    ...common,
    entryPoints: { app: at('main/electron/app.ts'), 'index-worker': at('main/index/index-worker.ts') },
    outdir: path.join(outDir, 'main', 'electron'),
    format: 'esm',
    packages: 'external',
    outExtension: { '.js': '.js' },
  });
  await build({
    ...common,
    entryPoints: [at('preload/index.ts')],
    outfile: path.join(outDir, 'preload', 'index.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
}

/** Where the command line's bundle goes; bin/ifcb-viewer.js runs `ifcb-viewer.js` from here. */
export const CLI_DIR = at('dist', 'cli');

/**
 * Bundle the command line (main/cli/main.ts) and the catalogue's index worker into `outDir` as plain ESM, so the
 * `ifcb-viewer` command starts without compiling TypeScript. Code splitting keeps each command in its own chunk:
 * `info` never loads better-sqlite3 or the exporter. node_modules stay external (native modules load from the
 * project's node_modules). Chunks sit beside the entries because the worker pool finds `index-worker.js` next to
 * the module that spawns it. Each file is written to a temporary name and renamed into place (chunks first,
 * entries last), so a CLI run racing a rebuild never imports a half-written file.
 */
export async function buildCli(outDir = CLI_DIR): Promise<void> {
  const result = await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    packages: 'external',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: { 'ifcb-viewer': at('main/cli/main.ts'), 'index-worker': at('main/index/index-worker.ts') },
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir: outDir,
    write: false,
  });
  fs.mkdirSync(outDir, { recursive: true });
  const written = new Set(result.outputFiles.map((f) => path.basename(f.path)));
  const isEntry = (f: OutputFile) => ['ifcb-viewer.js', 'index-worker.js'].includes(path.basename(f.path));
  for (const file of [...result.outputFiles.filter((f) => !isEntry(f)), ...result.outputFiles.filter(isEntry)]) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
  // chunk names carry a content hash: drop the previous build's chunks
  for (const name of fs.readdirSync(outDir)) if (name.startsWith('chunk-') && !written.has(name)) fs.rmSync(path.join(outDir, name), { force: true });
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (args.has('--cli-only')) {
    await buildCli();
    console.log('built dist/cli/');
    return;
  }
  if (!args.has('--main-only')) buildRenderer();
  if (!args.has('--renderer-only')) {
    await buildMainAndPreload();
    await buildCli();
  }
  console.log('built dist/');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
