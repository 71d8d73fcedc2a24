/**
 * `npm start` in browser mode (main/start-browser.ts): typed paths stand in for the dialogs, every launch path
 * reaches the page (a damaged bin with its error, the others open), and a first start with an empty library gets
 * the demo library, once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Result } from '../../shared/ipc/result.ts';
import { serveInBrowser, type BrowserMode } from '../../main/start-browser.ts';
import { SAMPLE } from './../helpers/data.ts';
import { RENDERER_DIR } from '../helpers/browser.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { tempDirFor } from '../helpers/temp.ts';

async function call<T>(server: BrowserMode, channel: string, body: unknown = {}): Promise<Result<T>> {
  const response = await fetch(`${server.url}api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Result<T>;
}

function value<T>(r: Result<T>): T {
  assert.ok(r.ok, JSON.stringify(r));
  return r.value;
}

/** Keep the mode's console lines out of the test output, and return them. */
function quietly(t: { after(fn: () => void): void }): string[] {
  const lines: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  t.after(() => {
    console.log = log;
    console.error = error;
  });
  return lines;
}

test('a damaged bin at launch is reported to the page and the other bins open', async (t) => {
  const lines = quietly(t);
  const dir = tempDirFor(t, 'ifcb-browser-mode-');
  const damaged = writeSyntheticBin(dir, { targets: 5 });
  writeFileSync(damaged.paths.adc, 'this,is,not\r\nan,adc,file\r\n');
  const server = await serveInBrowser({ paths: [damaged.paths.adc, `${SAMPLE.C}.adc`, SAMPLE.decoy], db: path.join(dir, 'cat.sqlite'), rendererDir: RENDERER_DIR, version: '0' });
  t.after(() => server.close());
  const ready = value(await call<{ opened: { bin: { id: string } }[]; rejected: { name: string; code: string }[] }>(server, 'app:ready'));
  assert.deepEqual(
    ready.opened.map((o) => o.bin.id),
    ['D20220522T003051_IFCB134'],
  );
  assert.deepEqual(
    ready.rejected.map((r) => [r.name, r.code]),
    [
      [`${damaged.id}.adc`, 'ADC_MALFORMED_ROW'],
      ['decoy.adc', 'INVALID_BIN_ID'],
    ],
  );
  // each said once in the log, with its path (startViewerServer logs it; start-browser does not repeat it)
  assert.deepEqual(
    lines.filter((l) => l.startsWith('cannot open ')).map((l) => l.replace(/^cannot open (.*?): ([A-Z_]+):.*$/, (_, p: string, code: string) => `${path.basename(p)} ${code}`)),
    [`${damaged.id}.adc ADC_MALFORMED_ROW`, 'decoy.adc INVALID_BIN_ID'],
  );
});

test('typed paths stand in for the dialogs: open a bin, and a wrong path is an error, not a lost bin', async (t) => {
  quietly(t);
  const dir = tempDirFor(t, 'ifcb-browser-mode-');
  const server = await serveInBrowser({ paths: [], noLibrary: true, rendererDir: RENDERER_DIR, version: '0', db: path.join(dir, 'cat.sqlite') });
  t.after(() => server.close());
  const info = value(await call<{ features: { pathInput: boolean; export: boolean } }>(server, 'app:get-info'));
  assert.equal(info.features.pathInput, true);
  assert.equal(info.features.export, true);
  const opened = value(await call<{ opened: { bin: { id: string } } }>(server, 'dialog:open-bin', { path: `${SAMPLE.B}.roi` }));
  assert.equal(opened.opened.bin.id, 'D20130526T095207_IFCB013');
  const wrong = await call(server, 'dialog:open-bin', { path: path.join(dir, 'nothing.adc') });
  assert.ok(!wrong.ok);
  assert.equal(wrong.error.code, 'INVALID_BIN_ID');
  const relative = await call(server, 'dialog:export-destination', { kind: 'zip', path: 'out.zip' });
  assert.ok(!relative.ok);
  assert.equal(relative.error.code, 'PATH_NOT_ALLOWED');
});

test('with no arguments an empty library gets the demo, flagged, and only the first time', async (t) => {
  const lines = quietly(t);
  const dir = tempDirFor(t, 'ifcb-browser-mode-');
  const db = path.join(dir, 'cat.sqlite');
  const first = await serveInBrowser({ paths: [], db, rendererDir: RENDERER_DIR, version: '0' });
  const roots = value(await call<{ roots: { id: number; path: string; demo?: true }[] }>(first, 'roots:list')).roots;
  assert.deepEqual(
    roots.map((r) => [r.path, r.demo]),
    [[path.join(dir, 'demo-library'), true]],
  );
  assert.ok(lines.some((l) => l.startsWith('Your library is empty: added the demo library')));
  value(await call(first, 'roots:remove', { rootId: roots[0]!.id }));
  await first.close();

  const second = await serveInBrowser({ paths: [], db, rendererDir: RENDERER_DIR, version: '0' });
  t.after(() => second.close());
  assert.deepEqual(value(await call<{ roots: unknown[] }>(second, 'roots:list')).roots, [], 'removed stays removed');
});

test('paths on the command line mean no demo, even for an empty library', async (t) => {
  quietly(t);
  const dir = tempDirFor(t, 'ifcb-browser-mode-');
  const server = await serveInBrowser({ paths: [`${SAMPLE.C}.adc`], db: path.join(dir, 'cat.sqlite'), rendererDir: RENDERER_DIR, version: '0' });
  t.after(() => server.close());
  assert.deepEqual(value(await call<{ roots: unknown[] }>(server, 'roots:list')).roots, []);
});
