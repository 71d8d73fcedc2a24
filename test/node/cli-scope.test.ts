/**
 * Every CLI command run owns what it opens through one scope (main/cli/main.ts + main/app/library.ts): the library
 * database and the Ctrl-C handler are closed exactly once when the command ends — done, failed or interrupted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DisposableStore, type Teardown } from '../../main/app/disposable-store.ts';
import { main } from '../../main/cli/main.ts';
import { DATA_ROOT } from '../helpers/data.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { tempDirFor } from '../helpers/temp.ts';

/** A command scope that counts how often each registered part is stopped. */
class CountingScope extends DisposableStore {
  readonly stopped = new Map<string, number>();
  readonly added: string[] = [];

  override add(name: string, teardown: Teardown): void {
    this.added.push(name);
    assert.equal(typeof teardown, 'function', `${name} stops through a function`);
    super.add(name, async () => {
      this.stopped.set(name, (this.stopped.get(name) ?? 0) + 1);
      await (teardown as () => unknown)();
    });
  }
}

async function cli(args: string[], options: { isTTY?: boolean; onOut?: (s: string) => void } = {}) {
  const scope = new CountingScope();
  let out = '';
  let err = '';
  const stdout = {
    write: (s: string) => {
      out += s;
      options.onOut?.(s);
    },
  };
  const code = await main(args, { stdout, stderr: { write: (s: string) => (err += s) }, isTTY: options.isTTY ?? false }, scope);
  return { code, out, err, scope };
}

/** SQLite deletes the write-ahead log when the last connection to the file closes. */
function closed(db: string): boolean {
  return existsSync(db) && !existsSync(`${db}-wal`);
}

test('a library command that fails after opening the library still closes it, once, and drops its Ctrl-C handler', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-scope-');
  const sigintListeners = process.listenerCount('SIGINT');
  const db = path.join(dir, 'empty.sqlite');
  // a usage error found only once the (new, empty) catalogue is open
  const usage = await cli(['index', '--db', db]);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /^ifcb-viewer index: the catalogue .*empty\.sqlite has no folders yet/);
  assert.deepEqual(usage.scope.added, ['library database', 'Ctrl-C handler']);
  assert.deepEqual(Object.fromEntries(usage.scope.stopped), { 'library database': 1, 'Ctrl-C handler': 1 });
  assert.equal(usage.scope.disposed, true);
  assert.equal(closed(db), true);
  assert.equal(process.listenerCount('SIGINT'), sigintListeners);

  // a data error thrown by the command itself (results add on a folder that is not in the library)
  const dataError = await cli(['results', 'add', dir, dir, '--db', db]);
  assert.equal(dataError.code, 3);
  assert.match(dataError.err, /error INVALID_ARGUMENT: .* is not a library folder/);
  assert.deepEqual(Object.fromEntries(dataError.scope.stopped), { 'library database': 1 });
  assert.equal(closed(db), true);

  // no library at --db: nothing was opened, nothing to close, and no empty file was left behind
  const missing = await cli(['bins', '--db', path.join(dir, 'none.sqlite')]);
  assert.equal(missing.code, 3);
  assert.deepEqual([missing.scope.added, missing.scope.disposed], [[], true]);
  assert.equal(existsSync(path.join(dir, 'none.sqlite')), false);
});

test('a command that succeeds closes the library once; a command on files alone opens none', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-scope-');
  const db = path.join(dir, 'c.sqlite');
  const indexed = await cli(['index', path.join(DATA_ROOT, 'irfcb/data'), '--db', db]);
  assert.equal(indexed.code, 0, indexed.err);
  assert.deepEqual(Object.fromEntries(indexed.scope.stopped), { 'library database': 1, 'Ctrl-C handler': 1 });
  for (const args of [['bins', '--json'], ['timeline', '--json'], ['results', 'list']]) {
    const r = await cli([...args, '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(Object.fromEntries(r.scope.stopped), { 'library database': 1 }, args[0]);
    assert.equal(closed(db), true, args[0]);
  }
  const bins = JSON.parse((await cli(['bins', '--json', '--db', db])).out) as unknown[];
  assert.equal(bins.length, 2);

  const help = await cli(['--help']);
  assert.deepEqual([help.code, help.scope.added, help.scope.disposed], [0, [], true]);
});

test('Ctrl-C during index cancels it and still closes the database; the next run resumes', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cli-scope-');
  const data = path.join(dir, 'data');
  mkdirSync(data);
  const count = 200;
  for (let i = 0; i < count; i++) writeSyntheticBin(data, { epochMs: Date.UTC(2024, 0, 1, 0, i), targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: i + 1 });
  const db = path.join(dir, 'c.sqlite');
  const sigintListeners = process.listenerCount('SIGINT');
  let interrupted = false;
  // the first progress line is the moment a user could press Ctrl-C: deliver it as the process would
  const r = await cli(['index', data, '--db', db], {
    isTTY: true,
    onOut: (s) => {
      if (interrupted || !s.startsWith('\r')) return;
      interrupted = true;
      process.emit('SIGINT');
    },
  });
  assert.equal(interrupted, true);
  assert.equal(r.code, 130, r.err);
  assert.match(r.out, /\ncancelled: \d+ bins found, /);
  assert.match(r.out, /run the same command again to resume\n$/);
  assert.deepEqual(Object.fromEntries(r.scope.stopped), { 'library database': 1, 'Ctrl-C handler': 1 });
  assert.equal(closed(db), true);
  assert.equal(process.listenerCount('SIGINT'), sigintListeners);

  const resumed = await cli(['index', '--db', db]);
  assert.equal(resumed.code, 0, resumed.err);
  assert.match(resumed.out, new RegExp(`indexed: ${count} bins found, `));
  const listed = JSON.parse((await cli(['bins', '--json', '--db', db])).out) as unknown[];
  assert.equal(listed.length, count);
});
