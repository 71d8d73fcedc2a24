/**
 * Happy and unhappy paths of the classes channels through the real router, a real catalogue on a temp database
 * and the real products in ../shared/ifcb-products added as the root's results folder. Registered from
 * test/node/ipc/router.test.ts (its coverage check counts every channel).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decode } from 'fast-png';
import type { BinClasses } from '../../../shared/ipc/contract.ts';
import type { Result } from '../../../shared/ipc/result.ts';
import { openCatalogue, type Catalogue } from '../../../main/index/catalogue.ts';
import { cataloguePort } from '../../../main/ipc/catalogue-adapter.ts';
import { binsWithProduct } from '../../../main/products/product-store.ts';
import { currentAnnotator } from '../../../main/products/label-store.ts';
import { DATA_ROOT } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { makeRouter } from '../ipc/fixtures.ts';
import { PRODUCTS_ROOT } from './paths.ts';

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

    it('without a library: labels are NOT_AVAILABLE', async () => {
      const { router } = makeRouter();
      assert.equal(code(await router.dispatch('labels:set', { rois: [{ binId: IRFCB, targets: [2] }], label: 'x' })), 'NOT_AVAILABLE');
      assert.equal(code(await router.dispatch('classes:list', {})), 'NOT_AVAILABLE');
      assert.equal(code(await router.dispatch('labels:confirm', { rois: [{ binId: IRFCB, targets: [2] }] })), 'NOT_AVAILABLE');
    });
  });
}
