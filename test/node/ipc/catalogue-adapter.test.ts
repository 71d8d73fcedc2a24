/**
 * The catalogue port's live watch: a change the catalogue fails to apply (here a real SQLite error while
 * storing a new bin) is logged with its root instead of vanishing, and the watch goes on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
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
