/**
 * Per-bin class counts (migration 6) and the one-class time series of `bins:time-series`, on the shared iRfcb and
 * pyifcb bins with the shared products as a results folder: exact counts, the manual-label rule, recounts after
 * label changes, the query plan.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { BinClasses, TimeSeries } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { main } from '../../../main/cli/main.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { openCatalogue, type Catalogue } from '../../../main/index/catalogue.ts';
import { migrate, schemaVersion } from '../../../main/index/database.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { classSeriesSql, effectiveClassCounts, refreshClassCounts } from '../../../main/products/class-counts.ts';
import { LabelStore } from '../../../main/products/label-store.ts';
import { addResultsFolder, refreshRootProducts } from '../../../main/products/product-store.ts';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir, tempDirFor } from '../../helpers/temp.ts';
import { makeRouter } from '../ipc/fixtures.ts';
import { PRODUCTS_ROOT, product } from './paths.ts';
import { pythonJson, pythonWith, skipMessage } from './python.ts';

const IRFCB = 'D20220522T003051_IFCB134';
const IRFCB_2023 = 'D20230810T113059_IFCB134';
const IFCB5 = 'IFCB5_2012_028_081515';
/** ml analyzed of the two iRfcb bins (from their ADC/header, as `info` gives them). */
const IRFCB_ML = 2.981272289134838;
const IRFCB_2023_ML = 4.931480432581018;
/** The 2023 bin's class_v1.mat `TBclass_above_threshold` over the bin's 33 images (32 of them have a row). */
const COUNTS_2023 = {
  Apedinella_radians: 10,
  Cryptomonadales: 1,
  Gymnodiniales_smaller_than_30: 2,
  Heterocapsa_rotundata: 7,
  Skeletonema_marinoi: 5,
  'Strombidium-like': 1,
  unclassified: 6,
};

test('migration 6 adds the class-count tables to a version-5 library', () => {
  const db = new BetterSqlite3(':memory:');
  migrate(db, 5);
  assert.equal(migrate(db, 6), 6);
  assert.equal(schemaVersion(db), 6);
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'bin_class%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  assert.deepEqual(tables, ['bin_class_counts', 'bin_class_state']);
  db.close();
});

test('a ROI counts under its manual label, else its class above threshold, else not at all', () => {
  const t = { classes: ['A', 'B', 'unclassified'], targets: [2, 3, 5, 8, 9], above: [0, 2, -1, 1, -1], manual: [-1, 1, 0, -1, -1] } as unknown as BinClasses;
  const { counts, classified } = effectiveClassCounts(t);
  assert.deepEqual([...counts].sort(), [['A', 2], ['B', 2]]);
  assert.equal(classified, 4);
});

function value<T>(r: Result<unknown>): T {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('class counts of the shared bins with the shared products as a results folder', () => {
  let dir: string;
  let catalogue: Catalogue;
  const rows = () => catalogue.db.prepare('SELECT bin_id, class, count FROM bin_class_counts ORDER BY bin_id, class').raw().all();
  before(async () => {
    dir = makeTempDir('ifcb-class-counts-');
    catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), { workers: 1 });
    const port = cataloguePort(catalogue);
    const roots = [path.join(DATA_ROOT, 'irfcb', 'data'), path.join(DATA_ROOT, 'pyifcb', 'data')].map((folder) => port.addRoot(folder).id);
    await port.index(undefined, { onProgress: () => undefined, signal: new AbortController().signal });
    for (const rootId of roots) {
      addResultsFolder(catalogue.db, rootId, PRODUCTS_ROOT);
      refreshRootProducts(catalogue.db, rootId);
    }
  });
  after(async () => {
    await catalogue.close();
    removeTempDir(dir);
  });

  it('records per-bin counts when products are refreshed (features and blobs alone count nothing)', () => {
    assert.deepEqual(rows(), [[IRFCB, 'Mesodinium_rubrum', 2], ...Object.entries(COUNTS_2023).map(([c, n]) => [IRFCB_2023, c, n])]);
    assert.deepEqual(catalogue.db.prepare('SELECT bin_id, classified FROM bin_class_state ORDER BY bin_id').raw().all(), [
      [IRFCB, 2],
      [IRFCB_2023, 32],
    ]);
    // nothing changed: nothing is read again
    assert.equal(refreshClassCounts(catalogue.db, { binIds: [IRFCB, IRFCB_2023, IFCB5] }), 0);
  });

  it('the 2023 counts equal scipy’s reading of the class_v1.mat over the bin’s images', (t) => {
    const py = pythonWith('scipy');
    if (!py) return t.skip(skipMessage('scipy'));
    const targets = openBin(SAMPLE.D).images.geometries().map((g) => g.target);
    const script = `
import sys, json, collections, scipy.io
m = scipy.io.loadmat(sys.argv[1])
targets = set(json.loads(sys.argv[2]))
names = [c[0][0] if len(c[0]) else '' for c in m['TBclass_above_threshold']]
print(json.dumps(collections.Counter(n for r, n in zip(m['roinum'].ravel().tolist(), names) if r in targets)))`;
    const counts = pythonJson<Record<string, number>>(py, script, [product('class-scores/D20230810T113059_IFCB134_class_v1.mat'), JSON.stringify(targets)]);
    assert.deepEqual(Object.fromEntries(Object.entries(counts).sort()), COUNTS_2023);
  });

  it('bins:time-series with a class: count and concentration per bin and per day; a library label moves a ROI', async () => {
    const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
    const series = async (request: object) => value<TimeSeries>(await router.dispatch('bins:time-series', request));
    const perBin = await series({ bucket: 'bin', class: 'Mesodinium_rubrum' });
    assert.deepEqual(
      perBin.points.map((p) => [p.id, p.class]),
      [
        [IFCB5, { bins: 0, count: 0, mlAnalyzed: null, concentration: null }],
        [IRFCB, { bins: 1, count: 2, mlAnalyzed: IRFCB_ML, concentration: 2 / IRFCB_ML }],
        [IRFCB_2023, { bins: 1, count: 0, mlAnalyzed: IRFCB_2023_ML, concentration: 0 }],
      ],
    );
    const days = await series({ bucket: 'day', class: 'Heterocapsa_rotundata', instrument: 134 });
    assert.deepEqual(
      days.points.map((p) => [p.start, p.class]),
      [
        ['2022-05-22T00:00:00Z', { bins: 1, count: 0, mlAnalyzed: IRFCB_ML, concentration: 0 }],
        ['2023-08-10T00:00:00Z', { bins: 1, count: 7, mlAnalyzed: IRFCB_2023_ML, concentration: 7 / IRFCB_2023_ML }],
      ],
    );
    assert.equal((await series({ bucket: 'day' })).points[0]!.class, undefined);

    // the manual label wins: relabel ROI 2 of the 2022 bin through labels:set, the counts follow at once
    value(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [2] }], label: 'Heterocapsa_rotundata' }));
    assert.deepEqual(rows().slice(0, 2), [
      [IRFCB, 'Heterocapsa_rotundata', 1],
      [IRFCB, 'Mesodinium_rubrum', 1],
    ]);
    const relabelled = await series({ bucket: 'week', class: 'Heterocapsa_rotundata' });
    assert.deepEqual(
      relabelled.points.filter((p) => p.class!.bins > 0).map((p) => [p.start, p.class!.count, p.class!.concentration]),
      [
        ['2022-05-16T00:00:00Z', 1, 1 / IRFCB_ML],
        ['2023-08-07T00:00:00Z', 7, 7 / IRFCB_2023_ML],
      ],
    );
    value(await router.dispatch('labels:undo', {}));
    assert.deepEqual(rows().slice(0, 1), [[IRFCB, 'Mesodinium_rubrum', 2]]);
    // a label that clears ("not reviewed") falls back to the manual file's and then the classifier's class
    new LabelStore(catalogue.db).set([{ binId: IRFCB_2023, targets: [2] }], null, { annotator: 'test' });
    assert.equal(refreshClassCounts(catalogue.db, { binIds: [IRFCB_2023] }), 1);
    assert.deepEqual(rows().slice(1), Object.entries(COUNTS_2023).map(([c, n]) => [IRFCB_2023, c, n]));
  });

  it('the class series query walks the time index and finds each bin’s count by primary key', () => {
    for (const bucket of ['bin', 'day'] as const) {
      const plan = (catalogue.db.prepare(`EXPLAIN QUERY PLAN ${classSeriesSql(bucket, {})}`).all('A', 0, 1) as { detail: string }[]).map((r) => r.detail);
      // the bins in range through one of the time indexes (which one is SQLite's choice), never a scan
      assert.match(plan[0]!, /^SEARCH b USING (COVERING )?INDEX bins_\w+ \(epoch_ms>\? AND epoch_ms<\?\)$/);
      assert.deepEqual(plan.slice(1, 3), ['SEARCH s USING PRIMARY KEY (bin_id=?)', 'SEARCH c USING PRIMARY KEY (class=? AND bin_id=?) LEFT-JOIN']);
      assert.ok(!plan.some((d) => d.startsWith('SCAN')), plan.join('\n'));
    }
  });
});

test('labels import (CLI) recounts the imported bins of the library', async (t) => {
  const dir = tempDirFor(t);
  const db = path.join(dir, 'lib.sqlite');
  const cli = (...args: string[]) => main(args, { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false });
  assert.equal(await cli('index', path.dirname(SAMPLE.C), '--db', db), 0);
  assert.equal(await cli('results', 'add', path.dirname(SAMPLE.C), PRODUCTS_ROOT, '--db', db), 0);
  const csv = path.join(dir, 'labels.csv');
  writeFileSync(csv, `sample_name,roi_number,class_name,annotator,timestamp\n${IRFCB},3,Ciliates,ann,2024-06-07 08:09:10\n`);
  assert.equal(await cli('labels', 'import', csv, '--db', db), 0);
  const handle = new BetterSqlite3(db, { readonly: true });
  assert.deepEqual(handle.prepare('SELECT class, count FROM bin_class_counts WHERE bin_id = ? ORDER BY class').raw().all(IRFCB), [
    ['Ciliates', 1],
    ['Mesodinium_rubrum', 1],
  ]);
  handle.close();
});
