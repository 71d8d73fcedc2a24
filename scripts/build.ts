/**
 * `npm run build`: the renderer with `vite build` (vite.config.ts → dist/renderer), then esbuild bundles of the
 * Electron main process (ESM, node_modules external so native modules load from the unpacked asar) with the
 * catalogue's index worker beside it, and the preload (one CJS file: a sandboxed preload can only `require`
 * electron and a few built-ins), and the `ifcb-viewer` command line (buildCli). Flags: --main-only /
 * --renderer-only / --cli-only, and --stage (below).
 *
 * `--stage` also fills build/app, the app directory electron-builder packages and `npm start` runs Electron on:
 * dist/, a package.json with the runtime dependencies only, and those dependencies installed for Electron's ABI.
 * Native modules are built once per runtime — the project's node_modules for Node (tests, CLI), build/app's for
 * Electron — so packaging never rebuilds inside the project's own node_modules.
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

export const STAGE_DIR = at('build', 'app');

interface RootManifest {
  name: string;
  productName: string;
  version: string;
  description: string;
  homepage: string;
  author: { name: string; email: string };
  license: string;
  type: string;
  main: string;
  desktopName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** The staged app's package.json: the root's identity, its entry, and the runtime dependencies at the installed versions. */
export function appManifest(root: RootManifest, installedVersion: (dependency: string) => string): Record<string, unknown> {
  const { name, productName, version, description, homepage, author, license, type, main, desktopName } = root;
  const dependencies = Object.fromEntries(Object.keys(root.dependencies).map((d) => [d, installedVersion(d)]));
  return { name, productName, version, description, homepage, author, license, type, main, desktopName, private: true, dependencies };
}

/**
 * npm's environment for installing native modules against Electron's headers instead of Node's (Electron's
 * documented "using npm" recipe); prebuild-install and node-gyp both read it.
 */
export function electronNpmEnv(electronVersion: string, arch: string): Record<string, string> {
  return {
    npm_config_runtime: 'electron',
    npm_config_target: electronVersion,
    npm_config_disturl: 'https://electronjs.org/headers',
    npm_config_arch: arch,
    npm_config_target_arch: arch,
  };
}

/** Where the runtime dependencies of the staged app come from. */
export type StageDependencies =
  /** npm install for Electron's ABI (needs the network; `npm run dist`, `npm start` with Electron). */
  | 'install-for-electron'
  /** Copies of the project's own (Node-built) packages: enough to check the package layout offline (tests). */
  | 'copy-from-project';

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The project's production dependency folders (all depths), relative to its node_modules. */
function productionPackages(): string[] {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`npm ls failed: ${result.stderr}`);
  const modules = at('node_modules') + path.sep;
  return result.stdout.split(/\r?\n/).filter((line) => line.startsWith(modules)).map((line) => line.slice(modules.length));
}

/** Fill `out` (default build/app) with `dist` and the runtime dependencies; returns `out`. */
export function stageApp(options: { dist?: string; out?: string; dependencies: StageDependencies }): string {
  const dist = options.dist ?? at('dist');
  const out = options.out ?? STAGE_DIR;
  const root = readJson<RootManifest>(at('package.json'));
  const manifest = appManifest(root, (d) => readJson<{ version: string }>(at('node_modules', d, 'package.json')).version);
  fs.rmSync(path.join(out, 'dist'), { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.cpSync(dist, path.join(out, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  // reinstall only when the dependencies or their target runtime changed
  const stamp = JSON.stringify({ how: options.dependencies, electron: root.devDependencies['electron'], dependencies: manifest['dependencies'] });
  const stampFile = path.join(out, 'node_modules', '.ifcb-stage.json');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return out;
  fs.rmSync(path.join(out, 'node_modules'), { recursive: true, force: true });
  if (options.dependencies === 'copy-from-project') {
    for (const pkg of productionPackages()) fs.cpSync(at('node_modules', pkg), path.join(out, 'node_modules', pkg), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules${path.sep}.bin`) });
  } else {
    // the project's lockfile pins the transitive versions; npm drops its dev-only entries
    fs.copyFileSync(at('package-lock.json'), path.join(out, 'package-lock.json'));
    const env = { ...process.env, ...electronNpmEnv(root.devDependencies['electron']!, process.arch) };
    const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: out, env, stdio: 'inherit', shell: process.platform === 'win32' });
    if (npm.status !== 0) throw new Error(`installing the app's dependencies for Electron failed (exit ${npm.status ?? npm.signal})`);
  }
  fs.writeFileSync(stampFile, stamp);
  return out;
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
  if (args.has('--stage')) console.log(`staged ${path.relative(ROOT, stageApp({ dependencies: 'install-for-electron' }))}/ for Electron`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
