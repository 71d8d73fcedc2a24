/**
 * Runs the real main/electron/app.ts against the fake `electron` module (electron.ts) in this process and prints
 * what happened as one JSON line. The scenario comes from argv: `start ARGS…` (a normal launch, then the window
 * and quit events a user causes) or `smoke ARGS…` (the self-check; `--corrupt` makes the page report one wrong
 * pixel). Started by test/node/electron/app-lifecycle.test.ts as `node --import tsx drive.ts …`.
 */
import { register } from 'node:module';
import { setImmediate as tick } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { FakeBrowserWindow, fake as Fake } from './electron.ts';

const FAKE = new URL('./electron.ts', import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(FAKE)}, shortCircuit: true } : next(s, c); }`)}`, pathToFileURL('./'));

// imported by URL after the hook, so that the app's `electron` and this are one module instance
const { fake } = (await import(FAKE)) as { fake: typeof Fake };
const { PAINTED_TILES_SCRIPT } = await import('../../../../main/shell/smoke-test.ts');
const { openBin } = await import('../../../../main/ifcb/bin.ts');

const [scenario, ...args] = process.argv.slice(2);
const corrupt = args.includes('--corrupt');
process.argv = [process.execPath, '/nonexistent/app', ...args.filter((a) => a !== '--corrupt')];
fake.paths.set('userData', process.env['FAKE_USER_DATA'] ?? '/nonexistent');

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !condition(); i++) await tick();
  if (!condition()) throw new Error('condition never met');
}

const trusted = (win: FakeBrowserWindow) => ({ senderFrame: win.webContents.mainFrame, sender: win.webContents });
const invoke = (channel: string, event: unknown, request: unknown = {}) => fake.ipc.get(channel)!(event, request);
const out: Record<string, unknown> = {};

if (scenario === 'smoke') {
  fake.evaluate = (script) => {
    if (script === PAINTED_TILES_SCRIPT) return { dpr: 1, tiles: [{ target: 7, x: 8, y: 8, width: 88, height: 34 }] };
    if (script.includes('getImageData(8, 8, 88, 34)')) {
      const pixels = openBin(args[1]!).images.get(7).pixels;
      const rgba = Array.from(pixels).flatMap((g) => [g, g, g, 255]);
      if (corrupt) rgba[0] = (rgba[0]! + 1) % 256;
      return rgba;
    }
    throw new Error(`unexpected page script: ${script.slice(0, 80)}`);
  };
  await import('../../../../main/electron/app.ts');
  fake.ready.resolve();
  out['exitCode'] = await fake.exited.promise;
  out['windows'] = fake.windows.map((w) => w.options['show']);
} else {
  await import('../../../../main/electron/app.ts');
  // macOS: activate and a double-click can arrive before `ready`
  fake.appEvents.emit('activate');
  fake.appEvents.emit('open-file', { preventDefault: () => undefined }, process.env['FAKE_OPEN_FILE']);
  out['windowsBeforeReady'] = fake.windows.length;
  fake.ready.resolve();
  await until(() => fake.windows.length === 1);
  const first = fake.windows[0]!;
  out['ipcChannelsWhenWindowOpened'] = fake.ipc.size;
  out['ready'] = await invoke('app:ready', trusted(first));
  out['untrusted'] = await invoke('app:ready', { senderFrame: { url: 'https://example.com/' }, sender: first.webContents });
  out['roots'] = await invoke('roots:list', trusted(first));
  fake.appEvents.emit('activate');
  out['windowsAfterActivateWithWindow'] = fake.windows.length;
  first.close();
  fake.appEvents.emit('activate');
  out['windowsAfterCloseAndActivate'] = fake.windows.length;
  // a late `closed` from the first window must not orphan the second
  first.emit('closed');
  fake.appEvents.emit('activate');
  out['windowsAfterLateClosed'] = fake.windows.length;
  fake.windows[1]!.close();
  fake.appEvents.emit('window-all-closed');
  out['exitCode'] = await fake.exited.promise;
  out['ipcChannelsAfterQuit'] = fake.ipc.size;
}
out['log'] = fake.log;
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
