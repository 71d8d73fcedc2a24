/** A results folder followed live: a product file written there is recorded for its bin without re-indexing. */
import assert from 'node:assert/strict';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openCatalogue } from '../../../main/index/catalogue.ts';
import { addResultsFolder } from '../../../main/products/product-store.ts';
import { recordedProducts } from '../../../main/products/recorded-products.ts';
import { watchResultsFolders } from '../../../main/products/results-watch.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const BIN = 'D20220522T003051_IFCB134';

test('a product file appearing in, then leaving, a watched results folder updates the record and notifies', async (t) => {
  const dir = tempDirFor(t);
  const results = path.join(dir, 'results');
  const catalogue = openCatalogue(path.join(dir, 'library.sqlite'), { workers: 1 });
  t.after(() => catalogue.close());
  const root = catalogue.addRoot(path.dirname(SAMPLE.C));
  await catalogue.index();
  mkdirSync(results);
  addResultsFolder(catalogue.db, root.rootId, results);
  let changes = 0;
  const watch = watchResultsFolders(catalogue.db, root.rootId, () => changes++);
  t.after(() => watch.close());
  await watch.ready;
  const file = path.join(results, `${BIN}_features_v4.csv`);
  writeFileSync(file, 'roi_number,EquivDiameter\n2,10\n');
  writeFileSync(path.join(results, 'notes.txt'), 'not a product');
  await waitFor(() => recordedProducts(catalogue.db, BIN).some((f) => f.path === file), 10_000, 'the new features file recorded');
  assert.ok(changes >= 1);
  unlinkSync(file);
  await waitFor(() => recordedProducts(catalogue.db, BIN).length === 0, 10_000, 'the removed file forgotten');
});
