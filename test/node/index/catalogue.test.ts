/** The Catalogue object: default location, lifetime, serialized runs, rebuild. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DATA_ROOT } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { defaultDatabasePath } from '../../../main/index/database-path.ts';
import { listBins } from '../../../main/index/queries.ts';
import { tempCatalogue } from './helpers.ts';

test('default database: the per-user app-data folder Electron uses for "IFCB Viewer", or $IFCB_VIEWER_DB', () => {
  assert.equal(defaultDatabasePath({}, 'linux', '/home/ann'), '/home/ann/.config/IFCB Viewer/catalogue.sqlite');
  assert.equal(defaultDatabasePath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann'), '/xdg/IFCB Viewer/catalogue.sqlite');
  assert.equal(defaultDatabasePath({}, 'darwin', '/Users/ann'), '/Users/ann/Library/Application Support/IFCB Viewer/catalogue.sqlite');
  assert.equal(defaultDatabasePath({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Roaming\\IFCB Viewer\\catalogue.sqlite');
  assert.equal(defaultDatabasePath({ IFCB_VIEWER_DB: '/data/cat.sqlite', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann'), '/data/cat.sqlite');
});

test('openCatalogue creates missing folders; `using` closes it; runs are serialized; rebuild forgets bins but keeps roots', async (t) => {
  const dir = tempDirFor(t);
  const dbPath = path.join(dir, 'a', 'b', 'cat.sqlite');
  {
    using c = openCatalogue(dbPath);
    c.addRoot(path.join(DATA_ROOT, 'irfcb/data'));
    // Two runs started together: the second waits for the first and finds everything unchanged.
    const [first, second] = await Promise.all([c.index(), c.index()]);
    assert.deepEqual([first.added, second.added, second.unchanged], [2, 0, 2]);
    c.rebuild();
    assert.deepEqual([listBins(c.db).bins.length, c.listRoots()[0]!.state], [0, 'never']);
    const s = await c.index();
    assert.deepEqual([s.added, s.filesRead.adc], [2, 2]);
  }
  assert.ok(existsSync(dbPath));
  const again = openCatalogue(dbPath);
  assert.equal(listBins(again.db).bins.length, 2);
  await again.close();
  await again.close(); // idempotent
  assert.throws(() => again.addRoot(dir), { code: 'CANCELLED' });
});

test('watch and index on a closed or unknown root fail with a code', async (t) => {
  const { catalogue } = tempCatalogue(t);
  assert.throws(() => catalogue.watch(42, () => undefined), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(catalogue.index([42]), { code: 'INVALID_ARGUMENT' });
  assert.equal(catalogue.removeRoot(42), false);
});

test('close() during an index stops it: the run resolves as cancelled and the database closes', async (t) => {
  const { catalogue, dir } = tempCatalogue(t, { workers: 1 });
  const data = path.join(dir, 'data');
  mkdirSync(data);
  for (let i = 0; i < 800; i++) writeSyntheticBin(data, { epochMs: Date.UTC(2024, 0, 1) + i * 60_000, targets: 3, emptyEvery: 0, minSize: 4, maxSize: 6, seed: i + 1 });
  catalogue.addRoot(data);
  let closing: Promise<void> | undefined;
  const summary = await catalogue.index(undefined, {
    onProgress: () => {
      closing ??= catalogue.close();
    },
  });
  await closing;
  assert.equal(summary.cancelled, true);
  assert.equal(catalogue.db.open, false);
});
