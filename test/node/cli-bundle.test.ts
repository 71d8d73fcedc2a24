/**
 * The bundled command line (scripts/build.ts buildCli → dist/cli): it runs as plain JavaScript, spawns the index
 * worker from beside the bundle, loads native modules only for the commands that need them, and bin/ifcb-viewer.js
 * (re)builds it when it is missing or stale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildCli } from '../../scripts/build.ts';
import { binInfo } from '../../main/cli/commands/info.ts';
import { openBin } from '../../main/ifcb/bin.ts';
import { PROJECT_ROOT, SAMPLE } from '../helpers/data.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { tempDirFor } from '../helpers/temp.ts';

/**
 * Run one command of the bundle in `bundleDir` in a fresh `node` (no tsx anywhere) and report its exit code, its
 * stdout, and which native packages it loaded.
 */
function runBundle(bundleDir: string, args: string[]): { code: number; out: string; err: string; native: string[] } {
  const script = `
    const { main } = await import(${JSON.stringify(pathToFileURL(path.join(bundleDir, 'ifcb-viewer.js')).href)});
    let out = '';
    const code = await main(JSON.parse(process.argv[2]), { stdout: { write: (s) => (out += s) }, stderr: process.stderr, isTTY: false });
    const { createRequire } = await import('node:module');
    const loaded = Object.keys(createRequire(process.cwd() + '/').cache);
    const native = [...new Set(loaded.map((p) => /node_modules\\/(better-sqlite3|sharp)\\//.exec(p)?.[1]).filter(Boolean))];
    process.stdout.write(JSON.stringify({ code, out, native }));`;
  // a file rather than `--input-type=module -e`: workers inherit execArgv, and the PNG pool's eval'd worker is CommonJS
  const probe = path.join(bundleDir, 'probe.mjs');
  writeFileSync(probe, script);
  const child = spawnSync(process.execPath, [probe, JSON.stringify(args)], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return { ...(JSON.parse(child.stdout) as { code: number; out: string; native: string[] }), err: child.stderr };
}

test('the bundle runs every kind of command without tsx, loading native modules only where needed', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-bundle-');
  // inside the project, as dist/cli is: the bundle resolves its packages from the project's node_modules
  mkdirSync(path.join(PROJECT_ROOT, 'test-output'), { recursive: true });
  const bundle = mkdtempSync(path.join(PROJECT_ROOT, 'test-output', 'cli-bundle-'));
  t.after(() => rmSync(bundle, { recursive: true, force: true }));
  await buildCli(bundle);
  assert.ok(readdirSync(bundle).every((f) => f.endsWith('.js')), 'only JavaScript, no leftover temporary files');

  const info = runBundle(bundle, ['info', `${SAMPLE.B}.adc`, '--json', '--checksums']);
  assert.equal(info.code, 0, info.err);
  assert.deepEqual(JSON.parse(info.out), JSON.parse(JSON.stringify(binInfo(openBin(SAMPLE.B), true))));
  assert.deepEqual(info.native, [], 'info loads neither better-sqlite3 nor sharp');

  const png = runBundle(bundle, ['export', `${SAMPLE.C}.adc`, '--out', path.join(dir, 'png')]);
  assert.equal(png.code, 0, png.err);
  assert.equal(readdirSync(path.join(dir, 'png')).filter((f) => f.endsWith('.png')).length, 2);
  assert.deepEqual(png.native, [], 'PNG export needs no native module');

  const tiff = runBundle(bundle, ['export', `${SAMPLE.C}.adc`, '--out', path.join(dir, 'tiff'), '--format', 'tiff']);
  assert.equal(tiff.code, 0, tiff.err);
  assert.deepEqual(tiff.native, ['sharp']);

  // index spawns its parse workers from dist: index-worker.js must sit beside the chunk that starts them
  const data = path.join(dir, 'data');
  mkdirSync(data);
  for (let i = 0; i < 3; i++) writeSyntheticBin(data, { targets: 5, epochMs: Date.UTC(2024, 0, 1, i), seed: i + 1 });
  const db = path.join(dir, 'cat.sqlite');
  const indexed = runBundle(bundle, ['index', data, '--db', db]);
  assert.equal(indexed.code, 0, indexed.err);
  assert.match(indexed.out, /indexed: 3 bins found, 3 added/);
  assert.deepEqual(indexed.native, ['better-sqlite3']);
  const listed = runBundle(bundle, ['bins', '--db', db, '--json']);
  assert.equal((JSON.parse(listed.out) as unknown[]).length, 3);
});

test('bin/ifcb-viewer.js builds the bundle when it is missing or older than the sources, and prints what the source CLI prints', () => {
  const launcher = path.join(PROJECT_ROOT, 'bin/ifcb-viewer.js');
  const bundle = path.join(PROJECT_ROOT, 'dist/cli/ifcb-viewer.js');
  const info = () => spawnSync(process.execPath, [launcher, 'info', `${SAMPLE.B}.adc`, '--json'], { encoding: 'utf8' });

  rmSync(path.dirname(bundle), { recursive: true, force: true });
  const fromNothing = info();
  assert.equal(fromNothing.status, 0, fromNothing.stderr);
  assert.equal(fromNothing.stderr, 'ifcb-viewer: building the command line (dist/cli)…\n');
  assert.deepEqual(JSON.parse(fromNothing.stdout), JSON.parse(JSON.stringify(binInfo(openBin(SAMPLE.B)))));

  const current = info();
  assert.equal(current.stderr, '', 'a current bundle runs as it is');
  assert.equal(current.stdout, fromNothing.stdout);

  // a bundle older than every source file is rebuilt
  utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
  const stale = info();
  assert.equal(stale.stderr, 'ifcb-viewer: building the command line (dist/cli)…\n');
  assert.ok(statSync(bundle).mtimeMs > Date.UTC(2020, 0, 1));

  const usage = spawnSync(process.execPath, [launcher, 'nonsense'], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown command "nonsense"/);
});
