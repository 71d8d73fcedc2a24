/**
 * `npm run build`: the renderer with `vite build` (vite.config.ts → dist/renderer), then esbuild bundles of the
 * Electron main process (ESM, node_modules external so native modules load from the unpacked asar) with the
 * catalogue's index worker beside it, and the preload (one CJS file: a sandboxed preload can only `require`
 * electron and a few built-ins). Flags: --main-only / --renderer-only.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { build } from 'esbuild';

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

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (!args.has('--main-only')) buildRenderer();
  if (!args.has('--renderer-only')) await buildMainAndPreload();
  console.log('built dist/');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
