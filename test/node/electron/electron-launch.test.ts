/**
 * Starting the real Electron app from the project: the argv `npm start` gives Electron (options honoured, paths
 * never read as switches, and parsed back by the app's own launch-args), the staleness rule that keeps an old
 * dist/ from being launched, where `npm run smoke` finds the packaged app, and that it forwards the app's exit code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseLaunchArgs } from '../../../main/shell/launch-args.ts';
import { buildIsStale, electronArgs, packagedExecutable } from '../../../main/shell/electron-launch.ts';
import { PROJECT_ROOT } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

describe('npm start → Electron', () => {
  it('passes --db, --no-library and the paths (after --), and the app reads them back as given', () => {
    const args = electronArgs({ appDir: '/src/build/app', paths: ['/data/D20130526T095207_IFCB013.adc', '/data/-odd folder'], db: '/tmp/lib.sqlite', noLibrary: true });
    assert.deepEqual(args, ['/src/build/app', '--db', '/tmp/lib.sqlite', '--no-library', '--', '/data/D20130526T095207_IFCB013.adc', '/data/-odd folder']);
    // Electron's process.argv in dev is [electron, appDir, ...]
    assert.deepEqual(parseLaunchArgs(['/usr/bin/electron', ...args], { platform: 'linux', packaged: false, cwd: '/src' }), {
      db: '/tmp/lib.sqlite',
      noLibrary: true,
      smokeTest: null,
      out: null,
      paths: ['/data/D20130526T095207_IFCB013.adc', '/data/-odd folder'],
    });
    assert.deepEqual(electronArgs({ appDir: '/a', paths: [] }), ['/a']);
  });

  it('rebuilds when any output is missing or older than the newest source', () => {
    assert.equal(buildIsStale(100, [200, 150]), false);
    assert.equal(buildIsStale(160, [200, 150]), true);
    assert.equal(buildIsStale(100, [200, undefined]), true);
    assert.equal(buildIsStale(100, []), true);
  });
});

describe('npm run smoke', () => {
  it("finds electron-builder's unpacked app for each OS and architecture", () => {
    assert.equal(packagedExecutable('/p/release', 'linux', 'x64', 'IFCB Viewer', 'ifcb-viewer'), '/p/release/linux-unpacked/ifcb-viewer');
    assert.equal(packagedExecutable('/p/release', 'linux', 'arm64', 'IFCB Viewer', 'ifcb-viewer'), '/p/release/linux-arm64-unpacked/ifcb-viewer');
    assert.equal(packagedExecutable('C:\\p\\release', 'win32', 'x64', 'IFCB Viewer', 'ifcb-viewer'), 'C:\\p\\release\\win-unpacked\\IFCB Viewer.exe');
    assert.equal(packagedExecutable('/p/release', 'darwin', 'arm64', 'IFCB Viewer', 'ifcb-viewer'), '/p/release/mac-arm64/IFCB Viewer.app/Contents/MacOS/IFCB Viewer');
    assert.equal(packagedExecutable('/p/release', 'darwin', 'x64', 'IFCB Viewer', 'ifcb-viewer'), '/p/release/mac/IFCB Viewer.app/Contents/MacOS/IFCB Viewer');
  });

  it('runs the app with --smoke-test BIN --out DIR (absolute) and exits with its code', { skip: process.platform === 'win32' ? 'the stand-in app is a shell script' : false }, (t) => {
    const dir = tempDirFor(t, 'ifcb-smoke-');
    const app = path.join(dir, 'stand-in-app');
    // a stand-in for the packaged app: records its argv, exits 1 as a failed smoke test would
    fs.writeFileSync(app, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\nexit 1\n`, { mode: 0o755 });
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(PROJECT_ROOT, 'test/smoke/run.ts'), ...args], { cwd: dir, encoding: 'utf8' });
    const failed = run('D20130526T095207_IFCB013.adc', '--out', 'report', '--app', app);
    assert.equal(failed.status, 1, failed.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'argv'), 'utf8').trim().split('\n'), ['--smoke-test', path.join(dir, 'D20130526T095207_IFCB013.adc'), '--out', path.join(dir, 'report')]);
    assert.equal(run().status, 2, 'usage');
    assert.equal(run('--synthetic', '--out', 'synthetic', '--app', app).status, 1);
    const [flag, bin] = fs.readFileSync(path.join(dir, 'argv'), 'utf8').trim().split('\n');
    assert.equal(flag, '--smoke-test');
    assert.match(bin ?? '', new RegExp(`^${dir}/synthetic/bin/D\\d{8}T\\d{6}_IFCB\\d{3}\\.adc$`));
    assert.ok(fs.statSync(bin!.replace(/\.adc$/, '.roi')).size > 0, 'the synthetic bin has images');
    const missing = run('x.adc', '--app', path.join(dir, 'nothing'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no packaged app at .*nothing: run npm run dist first/);
  });
});
