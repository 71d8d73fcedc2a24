/**
 * The real Electron entry (main/electron/app.ts and its setupX files) run against a fake `electron` module
 * (fake-electron/), since no Electron binary exists here: start-up order (no window before ready, IPC registered
 * before the window), launch arguments (--db, bins, folders) and a macOS open-file before ready reaching the page,
 * the sender check, the window slot across close/activate, quitting through one dispose — and `--smoke-test`
 * end to end on the reader's real pixels, passing and failing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHANNELS } from '../../../shared/ipc/contract.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const DRIVER = fileURLToPath(new URL('./fake-electron/drive.ts', import.meta.url));

function drive(args: string[], env: Record<string, string>): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), DRIVER, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('main/electron/app.ts on a fake electron', () => {
  it('starts in order, opens what it was given, checks senders, keeps one window slot, and quits through one dispose', (t) => {
    const dir = tempDirFor(t, 'ifcb-app-');
    const db = path.join(dir, 'library.sqlite');
    const out = drive(['start', '--db', db, '--', `${SAMPLE.B}.adc`, path.join(DATA_ROOT, 'irfcb')], { FAKE_USER_DATA: dir, FAKE_OPEN_FILE: `${SAMPLE.C}.adc` });
    const log = out['log'] as string[];
    assert.equal(out['windowsBeforeReady'], 0, 'activate before ready creates no window');
    assert.equal(out['ipcChannelsWhenWindowOpened'], CHANNELS.length, 'every channel is handled before the window exists');
    assert.ok(log.indexOf('protocol.registerSchemesAsPrivileged(app)') < log.indexOf('protocol.handle(app)'));
    assert.ok(log.indexOf('Menu.setApplicationMenu') < log.indexOf('new BrowserWindow(show=false)'));
    const ready = out['ready'] as { ok: boolean; value: { opened: { bin: { id: string } }[] } };
    assert.equal(ready.ok, true);
    assert.deepEqual(
      ready.value.opened.map((o) => o.bin.id),
      ['D20220522T003051_IFCB134', 'D20130526T095207_IFCB013'],
      'the early open-file and the launch argument both reach the page, in the order they came',
    );
    assert.deepEqual(out['untrusted'], { ok: false, error: { code: 'INVALID_ARGUMENT', message: 'Request from an untrusted frame.' } });
    const roots = out['roots'] as { ok: boolean; value: { roots: { path: string }[] } };
    assert.deepEqual(
      roots.value.roots.map((r) => r.path),
      [fs.realpathSync(path.join(DATA_ROOT, 'irfcb'))],
      'the folder argument joined the library at --db',
    );
    assert.ok(fs.existsSync(db));
    assert.equal(out['windowsAfterActivateWithWindow'], 1);
    assert.equal(out['windowsAfterCloseAndActivate'], 2, 'macOS: activate with no window opens one');
    assert.equal(out['windowsAfterLateClosed'], 2, "a late 'closed' from the old window does not orphan the new one");
    assert.equal(out['exitCode'], 0);
    assert.equal(out['ipcChannelsAfterQuit'], 0, 'quitting removed every IPC handler');
    assert.ok(log.includes('app.exit(0)'));
    assert.ok(log.includes(`app.addRecentDocument ${SAMPLE.B}.adc`));
    assert.equal(fs.existsSync(path.join(dir, 'window-state.json')), true, 'the window remembered its place');
  });

  it('a launch path that cannot be opened reaches the page with its code, without a native dialog on top', (t) => {
    const dir = tempDirFor(t, 'ifcb-app-rejected-');
    const missing = path.join(dir, 'D20240101T000000_IFCB999.adc');
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'not a bin');
    const out = drive(['start', '--db', path.join(dir, 'library.sqlite'), '--', missing, `${SAMPLE.B}.adc`, notes], { FAKE_USER_DATA: dir, FAKE_OPEN_FILE: `${SAMPLE.C}.adc` });
    const ready = out['ready'] as { ok: boolean; value: { opened: { bin: { id: string } }[]; rejected: { name: string; code: string }[] } };
    assert.deepEqual(ready.value.opened.map((o) => o.bin.id), ['D20220522T003051_IFCB134', 'D20130526T095207_IFCB013'], 'the good bins still open');
    assert.deepEqual(ready.value.rejected.map((r) => [r.name, r.code]), [['D20240101T000000_IFCB999.adc', 'FILE_MISSING'], ['notes.txt', 'INVALID_BIN_ID']]);
    assert.deepEqual((out['log'] as string[]).filter((l) => l.startsWith('dialog.')), [], 'said once, in the page');
  });

  for (const corrupt of [false, true]) {
    it(`--smoke-test ${corrupt ? 'fails (exit 1) when one read-back pixel differs' : 'passes (exit 0) when the read-back equals the reader'}`, (t) => {
      const dir = tempDirFor(t, 'ifcb-smoke-app-');
      const report = path.join(dir, 'out', 'smoke-report.json');
      const out = drive(['smoke', '--smoke-test', `${SAMPLE.B}.adc`, '--out', path.join(dir, 'out'), ...(corrupt ? ['--corrupt'] : [])], { FAKE_USER_DATA: path.join(dir, 'profile') });
      assert.equal(out['exitCode'], corrupt ? 1 : 0);
      assert.deepEqual(out['windows'], [false], 'one hidden window');
      const log = out['log'] as string[];
      assert.ok(log.includes('commandLine.appendSwitch(force-device-scale-factor=1)'));
      assert.ok(log.includes('webContents.setBackgroundThrottling(false)'));
      assert.ok(log.some((l) => l === 'app.setPath(userData)'), 'its own profile, not the user’s');
      const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { ok: boolean; failure: string | null; tile: { target: number }; comparison: { pixels: number; mismatched: number } };
      assert.equal(r.ok, !corrupt);
      assert.equal(r.tile.target, 7);
      assert.deepEqual([r.comparison.pixels, r.comparison.mismatched], [88 * 34, corrupt ? 1 : 0]);
      assert.equal(r.failure, corrupt ? '1 of 2992 pixels of ROI 7 differ from the reader (max difference 1)' : null);
      assert.equal(fs.readFileSync(path.join(dir, 'out', 'smoke-screenshot.png'), 'utf8'), 'fake png');
    });
  }
});
