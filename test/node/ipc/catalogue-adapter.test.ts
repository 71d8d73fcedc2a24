/**
 * The catalogue port's live watch: a change the catalogue fails to apply (here a real SQLite error while
 * storing a new bin) is logged with its root instead of vanishing, and the watch goes on. A library locked by
 * another process answers the page's requests DB_LOCKED fast.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isIfcbError } from '../../../shared/errors.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import BetterSqlite3 from 'better-sqlite3';
import { REQUEST_BUSY_TIMEOUT_MS, cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { waitFor } from '../../helpers/wait-for.ts';

test('a watch whose change cannot be stored logs "[ifcb] watch of root <id>" with the error', async (t) => {
  const dir = tempDirFor(t, 'ifcb-cat-port-');
  const root = path.join(dir, 'instrument');
  mkdirSync(root);
  const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), { workers: 1 });
  t.after(() => catalogue.close());
  const port = cataloguePort(catalogue);
  const r = port.addRoot(root);
  // every new bin row is refused by the database (a stand-in for a full disk or an I/O error)
  catalogue.db.exec("CREATE TRIGGER refuse_bins BEFORE INSERT ON bins BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  const logged: unknown[][] = [];
  t.mock.method(console, 'error', (...args: unknown[]) => void logged.push(args));
  let changes = 0;
  const handle = port.watch!(r.id, () => changes++);
  t.after(() => handle.close());
  const id = path.basename(SAMPLE.C);
  const write = () => {
    writeFileSync(path.join(root, `${id}.hdr`), readFileSync(`${SAMPLE.C}.hdr`));
    writeFileSync(path.join(root, `${id}.adc`), readFileSync(`${SAMPLE.C}.adc`));
  };
  // the port does not expose chokidar's "ready": write again every second until a change is seen
  write();
  const rewrite = setInterval(write, 1000);
  t.after(() => clearInterval(rewrite));
  const entry = await waitFor(() => logged.find((args) => args[0] === '[ifcb] watch of root'), 10_000, 'the watch error to be logged');
  clearInterval(rewrite);
  assert.equal(entry[1], r.id);
  assert.match(String(entry[2]), /refused by the test/);
  assert.equal(changes, 0, 'a change that was not stored is not announced');
});

test('a library locked by another process answers DB_LOCKED after the short request wait, not the connection’s 3 s', (t) => {
  const dir = tempDirFor(t, 'ifcb-cat-lock-');
  const catalogue = openCatalogue(path.join(dir, 'library.sqlite'), { workers: 1 });
  t.after(() => catalogue.close());
  const port = cataloguePort(catalogue);
  const busyTimeouts: number[] = [];
  const pragma = catalogue.db.pragma.bind(catalogue.db);
  t.mock.method(catalogue.db, 'pragma', (source: string, options?: { simple: boolean }) => {
    const m = /^busy_timeout = (\d+)$/.exec(source);
    if (m) busyTimeouts.push(Number(m[1]));
    return options ? pragma(source, options) : pragma(source);
  });
  // another process in the middle of a write (a second viewer indexing, the CLI)
  const other = new BetterSqlite3(catalogue.path);
  t.after(() => other.close());
  other.exec('BEGIN IMMEDIATE');
  other.exec('INSERT INTO calibrations VALUES (1, 2, 3)');
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      return isIfcbError(e) ? e.code : `raw ${String(e)}`;
    }
  };
  const started = performance.now();
  assert.equal(code(() => port.calibrations!.write(13, 2.7)), 'DB_LOCKED');
  const waited = performance.now() - started;
  assert.deepEqual(busyTimeouts, [REQUEST_BUSY_TIMEOUT_MS, 3000], 'the request waited the short timeout, then the connection got its own back');
  // far from the connection's 3 s (a hang guard, not a performance figure)
  assert.ok(waited < 2000, `${waited} ms`);
  // reads go on while the other process writes (WAL), and every port call maps SQLite failures to codes
  assert.equal(code(() => port.listRoots()), 'ok');
  other.exec('COMMIT');
  assert.equal(code(() => port.calibrations!.write(13, 2.7)), 'ok');
  assert.deepEqual([...port.calibrations!.read()], [[1, 2], [13, 2.7]]);
});
