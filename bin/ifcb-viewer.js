#!/usr/bin/env node
// The `ifcb-viewer` command: runs the esbuild bundle in dist/cli, so no TypeScript is compiled at run time.
// In a checkout the bundle is built first when it is missing or older than a source file under main/ or shared/
// (`npm run build` builds it too); where the sources are absent the bundle runs as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'ifcb-viewer.js');
const SOURCE_DIRS = ['main', 'shared'].map((d) => path.join(ROOT, d));

/** True when any file under `dir` was modified after `since` (ms); stops at the first one. */
function hasNewerFile(dir, since) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() ? hasNewerFile(p, since) : fs.statSync(p).mtimeMs > since) return true;
  }
  return false;
}

function bundleIsCurrent() {
  const built = fs.statSync(BUNDLE, { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && !SOURCE_DIRS.some((dir) => hasNewerFile(dir, built));
}

if (!bundleIsCurrent()) {
  process.stderr.write('ifcb-viewer: building the command line (dist/cli)…\n');
  const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, path.join(ROOT, 'scripts', 'build.ts'), '--cli-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write(`ifcb-viewer: the build failed (exit ${result.status ?? result.signal}); run \`npm run build\` to see why\n`);
    process.exit(1);
  }
}

const { main, processIo } = await import(pathToFileURL(BUNDLE).href);
process.exitCode = await main(process.argv.slice(2), processIo());
