import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IfcbError } from '../../../shared/errors.ts';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { catalogueRecovery } from '../../../main/shell/catalogue-recovery.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

test('a damaged database (a real garbage file) is offered a rebuild', (t) => {
  const dir = makeTempDir('ifcb-recovery-');
  t.after(() => removeTempDir(dir));
  const file = path.join(dir, 'catalogue.sqlite');
  writeFileSync(file, 'this is not an SQLite database, but it is long enough to be read as a header...'.repeat(20));
  let thrown: unknown;
  try {
    openCatalogue(file).close();
  } catch (e) {
    thrown = e;
  }
  const offer = catalogueRecovery(thrown);
  assert.equal(offer.message, 'The library database is damaged.');
  assert.deepEqual(offer.buttons, ['Rebuild the library', 'Continue without the library']);
  assert.equal(offer.rebuildButton, 0);
  assert.match(offer.detail, /moves the old file aside \(it is not deleted\), carries over what can still be read of your library folders, labels, results folders, calibrations and class lists/);
});

test('a newer schema is offered a rebuild; a locked database and anything else are not', () => {
  assert.equal(catalogueRecovery(new IfcbError('DB_TOO_NEW', 'newer')).rebuildButton, 0);
  assert.equal(catalogueRecovery(new IfcbError('DB_TOO_NEW', 'newer')).message, 'The library database was written by a newer version of IFCB Viewer.');
  const locked = catalogueRecovery(new IfcbError('DB_LOCKED', 'in use'));
  assert.deepEqual([locked.rebuildButton, locked.buttons], [-1, ['Continue without the library']]);
  assert.equal(locked.detail, 'in use');
  assert.equal(catalogueRecovery(new IfcbError('DB_READONLY', 'read-only')).rebuildButton, -1);
  // a folder where the database file should be: rebuilding would not help
  assert.equal(catalogueRecovery(new IfcbError('DB_CORRUPT', 'not a file', { rebuild: false })).rebuildButton, -1);
  assert.equal(catalogueRecovery(new Error('boom')).message, 'The library database cannot be opened.');
});

test('a full or failing disk (DB_IO, a real SQLITE_FULL) is not offered a rebuild and says so', (t) => {
  const dir = makeTempDir('ifcb-recovery-');
  t.after(() => removeTempDir(dir));
  const catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'));
  t.after(() => catalogue.close());
  catalogue.db.pragma(`max_page_count = ${catalogue.db.pragma('page_count', { simple: true }) as number}`);
  let thrown: unknown;
  for (let i = 0; i < 500 && thrown === undefined; i++) {
    const folder = path.join(dir, `root-${String(i).padStart(3, '0')}-${'x'.repeat(150)}`);
    mkdirSync(folder);
    try {
      catalogue.addRoot(folder);
    } catch (e) {
      thrown = e;
    }
  }
  const offer = catalogueRecovery(thrown);
  assert.equal(offer.message, 'The library database could not be read or written.');
  assert.deepEqual([offer.rebuildButton, offer.buttons], [-1, ['Continue without the library']]);
  assert.match(offer.detail, /disk full or I\/O error: SQLITE_FULL/);
  assert.equal(catalogueRecovery(new IfcbError('DB_IO', 'disk I/O error')).message, 'The library database could not be read or written.');
});
