/**
 * Happy and unhappy paths of the classes channels through the real router, a real catalogue on a temp database
 * and the real products in ../shared/ifcb-products added as the root's results folder. Registered from
 * test/node/ipc/router.test.ts (its coverage check counts every channel).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decode } from 'fast-png';
import type { BinClasses, IfcbEvent } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { openCatalogue, type Catalogue } from '../../../main/index/catalogue.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { readManualMat } from '../../../main/products/manual-mat.ts';
import { binsWithProduct } from '../../../main/products/product-store.ts';
import { currentAnnotator } from '../../../main/products/label-store.ts';
import { DATA_ROOT } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { makeRouter } from '../ipc/fixtures.ts';
import { PRODUCTS_ROOT, product } from './paths.ts';
import { pythonJson, pythonWith } from './python.ts';

function value<T>(r: Result<unknown>): T {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function code(r: Result<unknown>): string {
  assert.equal(r.ok, false, 'expected a failure');
  return (r as { error: { code: string } }).error.code;
}

const IRFCB = 'D20220522T003051_IFCB134';
const IFCB5 = 'IFCB5_2012_028_081515';
/** ml analyzed of the iRfcb bin (from its ADC/header, as `info` gives it). */
const IRFCB_ML = 2.981272289134838;

export function describeClassesChannels(track: (channel: string) => void): void {
  describe('router: classes channels with the shared products as a results folder', () => {
    let dir: string;
    let catalogue: Catalogue;
    const rootIds: number[] = [];
    before(async () => {
      dir = makeTempDir('ifcb-ipc-classes-');
      catalogue = openCatalogue(path.join(dir, 'catalogue.sqlite'), { workers: 1 });
      const port = cataloguePort(catalogue);
      for (const folder of [path.join(DATA_ROOT, 'irfcb', 'data'), path.join(DATA_ROOT, 'pyifcb', 'data')]) rootIds.push(port.addRoot(folder).id);
      await port.index(undefined, { onProgress: () => undefined, signal: new AbortController().signal });
    });
    after(async () => {
      await catalogue.close();
      removeTempDir(dir);
    });

    it('dialog:add-results-folder (dev bridge path) records the products of the root’s bins found there', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue), pathInput: true });
      track('dialog:add-results-folder');
      // iRfcb root: D20220522T003051 (6 product files) and D20230810T113059 (its class_v1.mat)
      assert.deepEqual(value(await router.dispatch('dialog:add-results-folder', { rootId: rootIds[0], path: PRODUCTS_ROOT })), { folder: PRODUCTS_ROOT, products: 7 });
      // pyifcb root: IFCB5_2012_028_081515's features and blobs
      assert.deepEqual(value(await router.dispatch('dialog:add-results-folder', { rootId: rootIds[1], path: PRODUCTS_ROOT })), { folder: PRODUCTS_ROOT, products: 2 });
      assert.deepEqual(binsWithProduct(catalogue.db, 'blobs'), [IFCB5]);
      assert.equal(code(await router.dispatch('dialog:add-results-folder', { rootId: 999, path: PRODUCTS_ROOT })), 'INVALID_ARGUMENT');
      assert.equal(code(await router.dispatch('dialog:add-results-folder', { rootId: rootIds[0], path: path.join(dir, 'nope') })), 'FILE_MISSING');
      const noPaths = makeRouter({ catalogue: cataloguePort(catalogue) });
      assert.equal(code(await noPaths.router.dispatch('dialog:add-results-folder', { rootId: rootIds[0], path: PRODUCTS_ROOT })), 'NOT_AVAILABLE');
    });

    it('bin:classes joins scores, manual labels and features by ROI number (iRfcb bin: ROI 1 is empty)', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('bin:classes');
      const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB }));
      assert.deepEqual(t.targets, [2, 3]);
      assert.deepEqual(t.sources, [
        { kind: 'smhi-h5', name: `${IRFCB}_class.h5` },
        { kind: 'manual', name: `${IRFCB}.mat` },
        { kind: 'features-v2', name: `${IRFCB}_fea_v2.csv` },
      ]);
      assert.equal(t.classifierName, 'SMHI NIVA ResNet50 V5');
      assert.equal(t.hasThresholds, true);
      assert.equal(t.classes.length, 45);
      const meso = t.classes.indexOf('Mesodinium_rubrum');
      assert.deepEqual(t.auto, [meso, meso]);
      assert.deepEqual(t.above, [meso, meso]);
      assert.deepEqual(t.manual, [meso, meso]);
      assert.deepEqual(t.score, [0.6300000000000001, 0.6900000000000002]);
      assert.equal(t.sizes!.pxPerUm, 3.4);
      assert.equal(t.sizes!.esdUm[0], 79.96379802 / 3.4);
      assert.equal(t.blobs, null);
      assert.deepEqual(t.counts, [{ class: 'Mesodinium_rubrum', count: 2, concentration: 2 / IRFCB_ML, manual: 2 }]);
      assert.deepEqual(t.unmatched, []);
      assert.deepEqual(t.problems, []);
    });

    it('bin:classes sizes follow the instrument\'s calibration (calibration:set 2.7 for IFCB134, then forgotten)', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      value(await router.dispatch('calibration:set', { instrument: 134, pxPerUm: 2.7 }));
      const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB }));
      assert.equal(t.sizes!.pxPerUm, 2.7);
      // ROI 2 of the fea_v2 table: EquivDiameter 79.96379802 px, summedBiovolume 204624.4959 px³
      assert.equal(t.sizes!.esdUm[0], 79.96379802 / 2.7);
      assert.equal(t.sizes!.biovolumeUm3[0], 204624.4959 / 2.7 ** 3);
      const other = value<BinClasses>(await router.dispatch('bin:classes', { binId: IFCB5 }));
      assert.equal(other.sizes!.pxPerUm, 3.4);
      value(await router.dispatch('calibration:set', { instrument: 134, pxPerUm: null }));
      assert.equal(value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB })).sizes!.esdUm[0], 79.96379802 / 3.4);
    });

    it('bin:classes on the stitched schema-1 bin: five images, blob masks for each, sizes in µm', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IFCB5 }));
      assert.deepEqual(t.targets, [1, 2, 3, 5, 6]);
      assert.deepEqual(t.blobs, [true, true, true, true, true]);
      assert.deepEqual(t.sizes!.esdUm.map((v) => v!.toFixed(3)), ['4.198', '27.649', '6.977', '3.856', '5.331']);
      assert.deepEqual(t.auto, [-1, -1, -1, -1, -1]);
      assert.deepEqual(t.unmatched, []);
    });

    it('bin:blob-mask gives the stored PNG of the stitched ROI 3 (263×86); none for a bin without blobs', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('bin:blob-mask');
      const png = value<Uint8Array>(await router.dispatch('bin:blob-mask', { binId: IFCB5, target: 3 }));
      const decoded = decode(png);
      assert.deepEqual([decoded.width, decoded.height, decoded.channels], [263, 86, 1]);
      assert.equal(code(await router.dispatch('bin:blob-mask', { binId: IFCB5, target: 4 })), 'ROI_NOT_IN_BIN'); // stitched into 3
      assert.equal(value<Uint8Array>(await router.dispatch('bin:blob-mask', { binId: IRFCB, target: 2 })).length, 0);
    });

    it('bin:roi-scores lists one ROI’s best classes with h5py’s values; an empty ROI is ROI_NOT_IN_BIN', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('bin:roi-scores');
      assert.deepEqual(value(await router.dispatch('bin:roi-scores', { binId: IRFCB, target: 2, limit: 3 })), {
        scores: [
          { class: 'Mesodinium_rubrum', score: 0.6300000000000001 },
          { class: 'Prorocentrum_micans', score: 0.17000000000000007 },
          { class: 'Double_cells', score: 0.11 },
        ],
        labelled: null,
      });
      assert.equal(code(await router.dispatch('bin:roi-scores', { binId: IRFCB, target: 1 })), 'ROI_NOT_IN_BIN');
      assert.deepEqual(value(await router.dispatch('bin:roi-scores', { binId: IFCB5, target: 1 })), { scores: [], labelled: null });
    });

    it('labels:set / undo / redo: library labels override the manual file, survive a re-index, and are listed', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('labels:set');
      track('labels:undo');
      track('labels:redo');
      track('classes:list');
      const manualOf = async () => {
        const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB }));
        return t.manual.map((i) => (i < 0 ? null : t.classes[i]));
      };
      assert.deepEqual(value(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [2, 3] }], label: 'Ciliates' })), {
        change: { id: 1, kind: 'set', rois: [{ binId: IRFCB, targets: [2, 3] }], label: 'Ciliates' },
        canUndo: true,
        canRedo: false,
      });
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates']);
      assert.deepEqual(value(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [3] }], label: null })), {
        change: { id: 2, kind: 'set', rois: [{ binId: IRFCB, targets: [3] }], label: null },
        canUndo: true,
        canRedo: false,
      });
      assert.deepEqual(await manualOf(), ['Ciliates', null]);
      const undone = value<{ change: { id: number }; canRedo: boolean }>(await router.dispatch('labels:undo', {}));
      assert.equal(undone.change.id, 2);
      assert.equal(undone.canRedo, true);
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates']);
      await cataloguePort(catalogue).index(undefined, { onProgress: () => undefined, signal: new AbortController().signal });
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates'], 'labels survive re-indexing');
      value(await router.dispatch('labels:undo', {}));
      assert.deepEqual(await manualOf(), ['Mesodinium_rubrum', 'Mesodinium_rubrum'], 'back to the manual file');
      assert.deepEqual(value(await router.dispatch('labels:undo', {})), { change: null, canUndo: false, canRedo: true });
      assert.equal(value<{ change: { id: number } }>(await router.dispatch('labels:redo', {})).change.id, 1);
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates']);
      const listed = value<{ classes: { name: string; labelled: number }[] }>(await router.dispatch('classes:list', {}));
      assert.deepEqual(listed.classes.find((c) => c.name === 'Ciliates'), { name: 'Ciliates', labelled: 2 });
      // an empty ROI (no image) cannot be labelled
      assert.equal(code(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [1] }], label: 'Ciliates' })), 'ROI_NOT_IN_BIN');
      assert.equal(code(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [2] }], label: 'bad\nname' })), 'INVALID_ARGUMENT');
    });

    it('labels:confirm gives each scored ROI its class above threshold as one undo step; bin:roi-scores tells who/when', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('labels:confirm');
      const manualOf = async () => {
        const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB }));
        return t.manual.map((i) => (i < 0 ? null : t.classes[i]));
      };
      // left labelled Ciliates by the test above; IFCB5 has no classifier: its ROIs are left alone
      const before = Date.now();
      const confirmed = value<{ change: { kind: string; rois: unknown; label: unknown }; canUndo: boolean }>(
        await router.dispatch('labels:confirm', { rois: [{ binId: IRFCB, targets: [3, 2] }, { binId: IFCB5, targets: [1, 2] }] }),
      );
      assert.deepEqual(confirmed.change.rois, [{ binId: IRFCB, targets: [2, 3] }]);
      assert.equal(confirmed.change.kind, 'confirm');
      assert.equal(confirmed.change.label, null);
      assert.deepEqual(await manualOf(), ['Mesodinium_rubrum', 'Mesodinium_rubrum']);
      const { labelled } = value<{ labelled: { label: string; annotator: string; atMs: number } }>(await router.dispatch('bin:roi-scores', { binId: IRFCB, target: 3 }));
      assert.equal(labelled.label, 'Mesodinium_rubrum');
      assert.equal(labelled.annotator, currentAnnotator());
      assert.ok(labelled.atMs >= before && labelled.atMs <= Date.now());
      // nothing scored: no change
      assert.deepEqual(value(await router.dispatch('labels:confirm', { rois: [{ binId: IFCB5, targets: [1] }] })), { change: null, canUndo: true, canRedo: false });
      assert.equal(code(await router.dispatch('labels:confirm', { rois: [{ binId: IRFCB, targets: [1] }] })), 'ROI_NOT_IN_BIN');
      const undone = value<{ change: { kind: string } }>(await router.dispatch('labels:undo', {}));
      assert.equal(undone.change.kind, 'confirm');
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates']);
    });

    it('export:start with groupByClass: one folder per class from the library labels, EcoTaxa annotation columns', async () => {
      const { runExport } = await import('../../../main/ipc/export-adapter.ts');
      const { router, ctx } = makeRouter({ catalogue: cataloguePort(catalogue), pathInput: true, exporter: runExport });
      const out = path.join(dir, 'training-set');
      const dest = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: out }));
      const { jobId } = value<{ jobId: string }>(await router.dispatch('export:start', { items: [{ binId: IRFCB }, { binId: IFCB5 }], destinationId: dest.destination.id, groupByClass: true, ecotaxa: true }));
      await ctx.jobs.settle(jobId);
      // the labels test above left ROIs 2 and 3 of the iRfcb bin labelled Ciliates; the IFCB5 bin has no classes
      assert.deepEqual(readdirSync(out, { recursive: true, encoding: 'utf8' }).map((p) => p.split(path.sep).join('/')).sort(), [
        'Ciliates',
        `Ciliates/${IRFCB}_00002.png`,
        `Ciliates/${IRFCB}_00003.png`,
        'ecotaxa_training-set.tsv',
        'unclassified',
        ...[1, 2, 3, 5, 6].map((t) => `unclassified/${IFCB5}_0000${t}.png`),
      ]);
      const rows = readFileSync(path.join(out, 'ecotaxa_training-set.tsv'), 'utf8').replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
      assert.deepEqual(rows[0]!.slice(-5, -3), ['object_annotation_category', 'object_annotation_status']);
      assert.deepEqual(rows.slice(2).map((r) => r.slice(-5, -3)), [['Ciliates', 'validated'], ['Ciliates', 'validated'], ...Array.from({ length: 5 }, () => ['', ''])]);

      // again into the same folder: its class folders exist, which export:start answers before any job starts
      const again = async (onExisting: string) => {
        const d = value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind: 'folder', path: out }));
        return router.dispatch('export:start', { items: [{ binId: IRFCB }], destinationId: d.destination.id, groupByClass: true, onExisting });
      };
      assert.equal(code(await again('fail')), 'EXPORT_TARGET_EXISTS');
      assert.equal(code(await again('skip')), 'INVALID_ARGUMENT');
      await ctx.jobs.settle(value<{ jobId: string }>(await again('suffix')).jobId);
      assert.deepEqual(readdirSync(`${out} (2)`, { recursive: true, encoding: 'utf8' }).map((p) => p.split(path.sep).join('/')).sort(), ['Ciliates', `Ciliates/${IRFCB}_00002.png`, `Ciliates/${IRFCB}_00003.png`]);
    });

    it('results:list gives each results folder of a root with the product files found in it', async () => {
      const { router } = makeRouter({ catalogue: cataloguePort(catalogue) });
      track('results:list');
      assert.deepEqual(value(await router.dispatch('results:list', { rootId: rootIds[0] })), { folders: [{ path: PRODUCTS_ROOT, products: 7 }], products: 7 });
      assert.deepEqual(value(await router.dispatch('results:list', { rootId: rootIds[1] })), { folders: [{ path: PRODUCTS_ROOT, products: 2 }], products: 2 });
      assert.equal(code(await router.dispatch('results:list', { rootId: 999 })), 'INVALID_ARGUMENT');
      assert.equal(code(await makeRouter().router.dispatch('results:list', { rootId: rootIds[0] })), 'NOT_AVAILABLE');
    });

    it('dialog:import-labels: several files as one job and one undo step; a bad file is reported, the others imported', async () => {
      const { router, ctx } = makeRouter({ catalogue: cataloguePort(catalogue), pathInput: true });
      track('dialog:import-labels');
      const events: IfcbEvent[] = [];
      ctx.events.subscribe((e) => events.push(e));
      const csv = path.join(dir, 'relabelled.csv');
      // ROI 1 of the iRfcb bin has no image and ROI 4 is beyond its 3 ADC rows: kept, and reported
      writeFileSync(csv, `sample_name,roi_number,class_name,annotator,timestamp\n${IRFCB},2,Dinophysis,tester,2026-01-02T03:04:05Z\n${IRFCB},1,Dinophysis,tester,2026-01-02T03:04:05Z\n${IRFCB},${IRFCB}_00004.png,Dinophysis,tester,2026-01-02T03:04:05Z\n`);
      const list = path.join(dir, 'our-classes.txt');
      writeFileSync(list, 'Alpha\r\n  Beta \n\nGamma\nAlpha\n');
      const broken = path.join(dir, 'broken.csv');
      writeFileSync(broken, 'a,b\n1,2\n');
      const files = [product('manual/D20220522T003051_IFCB134.mat'), product('derived/annotations.sqlite'), csv, list, broken];
      const { jobId } = value<{ jobId: string }>(await router.dispatch('dialog:import-labels', { paths: files }));
      await ctx.jobs.settle(jobId);
      const finished = events.find((e) => e.type === 'job-finished');
      assert.deepEqual(finished, {
        type: 'job-finished',
        jobId,
        kind: 'labels-import',
        outcome: 'ok',
        // manual file 2 + ClassiPyR 9 (7 of D20220522T000439, not in this library) + CSV 3
        summary: `14 labels from 3 files, 1 class list; 2 ROIs not in their bin; 1 bin not in the library; 1 file not imported: broken.csv (PRODUCT_MALFORMED: ${broken}: a label table needs the columns sample_name, roi_number, class_name.)`,
      });
      assert.deepEqual(events.filter((e) => e.type === 'job-progress').at(-1), { type: 'job-progress', jobId, kind: 'labels-import', done: 5, total: 5, message: 'broken.csv' });
      const manualOf = async () => {
        const t = value<BinClasses>(await router.dispatch('bin:classes', { binId: IRFCB }));
        return t.manual.map((i) => (i < 0 ? null : t.classes[i]));
      };
      // a later file wins for the same ROI (the CSV over the manual file and ClassiPyR for ROI 2)
      assert.deepEqual(await manualOf(), ['Dinophysis', 'Mesodinium_rubrum']);
      const listed = value<{ classes: { name: string; labelled: number }[] }>(await router.dispatch('classes:list', {}));
      assert.deepEqual(
        listed.classes.filter((c) => ['Alpha', 'Beta', 'Gamma', 'Dinophysis', 'Strombidium_like'].includes(c.name)),
        [
          { name: 'Alpha', labelled: 0 },
          { name: 'Beta', labelled: 0 },
          { name: 'Dinophysis', labelled: 3 },
          { name: 'Gamma', labelled: 0 },
          { name: 'Strombidium_like', labelled: 1 },
        ],
      );
      // one undo takes the whole import back (to the labels set earlier), one redo brings it again
      const undone = value<{ change: { kind: string; rois: unknown } }>(await router.dispatch('labels:undo', {}));
      assert.deepEqual(undone.change.kind, 'import');
      assert.deepEqual(undone.change.rois, [
        { binId: 'D20220522T000439_IFCB134', targets: [2, 3, 4, 5, 6, 7, 8] },
        { binId: IRFCB, targets: [1, 2, 3, 4] },
      ]);
      assert.deepEqual(await manualOf(), ['Ciliates', 'Ciliates']);
      value(await router.dispatch('labels:redo', {}));
      assert.deepEqual(await manualOf(), ['Dinophysis', 'Mesodinium_rubrum']);
      // the chart's class counts followed: ROI 1 has no image, so Dinophysis is one ROI of one bin
      track('classes:counted');
      const counted = value<{ classes: { name: string; count: number; bins: number }[] }>(await router.dispatch('classes:counted', {}));
      assert.deepEqual(counted.classes.find((c) => c.name === 'Dinophysis'), { name: 'Dinophysis', count: 1, bins: 1 });
      assert.deepEqual(counted.classes.map((c) => c.name), [...counted.classes.map((c) => c.name)].sort());
      const series = value<{ points: { id?: string; class?: { count: number; concentration: number | null } }[] }>(
        await router.dispatch('bins:time-series', { bucket: 'bin', class: 'Dinophysis', rootId: rootIds[0] }),
      );
      assert.deepEqual(series.points.find((p) => p.id === IRFCB)?.class, { bins: 1, count: 1, mlAnalyzed: IRFCB_ML, concentration: 1 / IRFCB_ML });
      assert.equal(code(await makeRouter().router.dispatch('classes:counted', {})), 'NOT_AVAILABLE');

      // nothing readable: the job fails with the file's own error; without a library or path input: NOT_AVAILABLE
      const failed = value<{ jobId: string }>(await router.dispatch('dialog:import-labels', { paths: [broken] }));
      await ctx.jobs.settle(failed.jobId);
      assert.deepEqual((events.at(-1) as { error?: { code: string } }).error?.code, 'PRODUCT_MALFORMED');
      assert.equal(code(await makeRouter({ pathInput: true }).router.dispatch('dialog:import-labels', { paths: [csv] })), 'NOT_AVAILABLE');
      assert.equal(code(await makeRouter({ catalogue: cataloguePort(catalogue) }).router.dispatch('dialog:import-labels', { paths: [csv] })), 'NOT_AVAILABLE');
      // the desktop app: the native dialog's files (none: cancelled), never paths from the page
      let offered: string[] | null = null;
      const desktop = makeRouter({ catalogue: cataloguePort(catalogue), dialogs: { openBin: async () => null, addFolder: async () => null, exportDestination: async () => null, resultsFolder: async () => null, importLabels: async () => offered } });
      assert.deepEqual(value(await desktop.router.dispatch('dialog:import-labels', {})), { jobId: null });
      assert.deepEqual(value(await desktop.router.dispatch('dialog:add-results-folder', { rootId: rootIds[0] })), { folder: null, products: 0 });
      assert.equal(code(await desktop.router.dispatch('dialog:import-labels', { paths: [csv] })), 'INVALID_ARGUMENT');
      offered = [list];
      const desktopEvents: IfcbEvent[] = [];
      desktop.ctx.events.subscribe((e) => desktopEvents.push(e));
      await desktop.ctx.jobs.settle(value<{ jobId: string }>(await desktop.router.dispatch('dialog:import-labels', {})).jobId);
      assert.equal((desktopEvents.find((e) => e.type === 'job-finished') as { summary?: string }).summary, '1 class list');
      assert.equal(value<{ canUndo: boolean }>(await router.dispatch('labels:undo', {})).canUndo, true, 'a class list alone is no label change: the undo takes the import back');
      value(await router.dispatch('labels:redo', {}));
    });

    it('labels:export: manual_classify .mat of the open bin that scipy reads back, CSV of a time span, never overwriting', async () => {
      const { router, ctx } = makeRouter({ catalogue: cataloguePort(catalogue), pathInput: true });
      track('labels:export');
      const destination = async (out: string, kind = 'folder') => value<{ destination: { id: string } }>(await router.dispatch('dialog:export-destination', { kind, path: out })).destination.id;
      const events: IfcbEvent[] = [];
      ctx.events.subscribe((e) => events.push(e));
      const run = async (request: Record<string, unknown>) => {
        const { jobId } = value<{ jobId: string }>(await router.dispatch('labels:export', request));
        await ctx.jobs.settle(jobId);
        return events.find((e) => e.type === 'job-finished' && e.jobId === jobId);
      };
      const matDir = path.join(dir, 'labels-mat');
      const done = await run({ destinationId: await destination(matDir), format: 'mat', binIds: [IRFCB] });
      assert.deepEqual(done, { type: 'job-finished', jobId: (done as { jobId: string }).jobId, kind: 'labels-export', outcome: 'ok', summary: `4 labels of 1 bin written to ${matDir} (1 file)` });
      const file = path.join(matDir, `${IRFCB}.mat`);
      assert.deepEqual(readdirSync(matDir), [`${IRFCB}.mat`]);
      const ours = readManualMat(readFileSync(file), file);
      assert.deepEqual(ours.rois, [1, 2, 3, 4]);
      assert.deepEqual(ours.labels, ['Dinophysis', 'Dinophysis', 'Mesodinium_rubrum', 'Dinophysis']);
      const py = pythonWith('scipy');
      if (py) {
        const script = `
import scipy.io as sio, json, sys
m = sio.loadmat(sys.argv[1])
names = [str(x[0]) for x in m['class2use_manual'].ravel()]
print(json.dumps([[int(r), names[int(k) - 1]] for r, k in m['classlist'][:, :2]]))`;
        assert.deepEqual(pythonJson(py, script, [file]), [[1, 'Dinophysis'], [2, 'Dinophysis'], [3, 'Mesodinium_rubrum'], [4, 'Dinophysis']]);
      }
      // again into the same folder: refused before any job starts, the file untouched
      const before = readFileSync(file);
      assert.equal(code(await router.dispatch('labels:export', { destinationId: await destination(matDir), format: 'mat', binIds: [IRFCB] })), 'EXPORT_TARGET_EXISTS');
      assert.deepEqual(readFileSync(file), before);
      // a time span: the labels of the bins of that day, library bin or not, as one CSV
      const csvDir = path.join(dir, 'labels-csv');
      await run({ destinationId: await destination(csvDir), format: 'csv', from: Date.UTC(2022, 4, 22, 0, 30), to: Date.UTC(2022, 4, 22, 1) });
      assert.deepEqual(readFileSync(path.join(csvDir, 'labels.csv'), 'utf8').split('\n').slice(0, 3), [
        'sample_name,roi_number,class_name,annotator,timestamp',
        `${IRFCB},1,Dinophysis,tester,2026-01-02T03:04:05.000Z`,
        `${IRFCB},2,Dinophysis,tester,2026-01-02T03:04:05.000Z`,
      ]);
      assert.equal(code(await router.dispatch('labels:export', { destinationId: await destination(path.join(dir, 'none')), format: 'csv', binIds: [IFCB5] })), 'EXPORT_EMPTY');
      assert.equal(code(await router.dispatch('labels:export', { destinationId: await destination(path.join(dir, 'l.zip'), 'zip'), format: 'csv' })), 'INVALID_ARGUMENT');
      assert.equal(code(await router.dispatch('labels:export', { destinationId: 'unknown', format: 'csv' })), 'INVALID_ARGUMENT');
    });

    it('without a library: labels are NOT_AVAILABLE', async () => {
      const { router } = makeRouter();
      assert.equal(code(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [2] }], label: 'x' })), 'NOT_AVAILABLE');
      assert.equal(code(await router.dispatch('classes:list', {})), 'NOT_AVAILABLE');
      assert.equal(code(await router.dispatch('labels:confirm', { rois: [{ binId: IRFCB, targets: [2] }] })), 'NOT_AVAILABLE');
    });
  });
}
