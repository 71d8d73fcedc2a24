/** The view reducer (one bin or a range), the display model over it, and the basket across views. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEEP_AHEAD, KEEP_BEHIND, NO_VIEW, binsNeedingGeometry, binsToDrop, viewBins, viewReducer } from '../../../renderer/state/view.ts';
import type { ViewAction, ViewState } from '../../../renderer/state/view.ts';
import { buildDisplay, columnsNeeded, displayIndexOf, filterProblem, sameDisplayInputs } from '../../../renderer/state/display.ts';
import { basketCounts, exportItems, restoreSelection, stashSelection } from '../../../renderer/state/basket.ts';
import { NO_FILTER } from '../../../renderer/state/filter.ts';
import type { BinGeometry } from '../../../shared/ipc/bin-geometry.ts';
import type { BinSummary, CatalogueBin } from '../../../shared/ipc/contract.ts';
import { roiKey } from '../../../shared/mosaic/keys.ts';

const ID = ['D20240101T000000_IFCB001', 'D20240101T010000_IFCB001', 'D20240101T020000_IFCB001'] as const;

function catalogueBin(id: string, hour: number, images: number): CatalogueBin {
  return {
    id, schema: 2, instrument: 1, timestamp: `2024-01-01T0${hour}:00:00Z`, epochMs: Date.UTC(2024, 0, 1, hour), rootId: 1, folder: '', adcRows: images, triggers: images,
    imageCount: images, hasRoiFile: true, runTime: null, inhibitTime: null, lookTime: null, mlAnalyzed: 5, temperature: null, humidity: null, qc: hour === 2 ? ['partial'] : [], errorCode: null,
  };
}

function summary(id: string, images: number): BinSummary {
  return { id, schema: 2, instrument: 1, timestamp: '2024-01-01T00:00:00Z', epochMs: 0, adcRows: images, triggers: images, imageCount: images, hasRoiFile: true, runTime: 1, inhibitTime: 0, lookTime: 1, mlAnalyzed: 5, triggerRate: 1, displayName: id };
}

/** A bin of images with targets 1..n, width = 10 × target, height 10, column PMTA = -target. */
function geometry(id: string, widths: number[], columns = false): BinGeometry {
  const n = widths.length;
  return {
    bin: summary(id, n), adcColumns: ['PMTA'], target: Uint32Array.from({ length: n }, (_, i) => i + 1), width: Uint32Array.from(widths), height: Uint32Array.from(widths, () => 10),
    columns: columns ? { PMTA: Float64Array.from({ length: n }, (_, i) => -(i + 1)) } : {},
    readable: n,
  };
}

const run = (actions: ViewAction[], from: ViewState = NO_VIEW) => actions.reduce(viewReducer, from);
const display = (view: ViewState, sort = { key: 'target' }, filter = NO_FILTER) => buildDisplay(view, { sort, filter, pxPerUmOf: () => 1 });

describe('view reducer', () => {
  it('a range lists its bins in time order once each, and ignores answers for an older view', () => {
    let v = run([{ type: 'list-range', label: '2024-01-01' }]);
    const listing = v.generation;
    v = viewReducer(v, { type: 'open-range', generation: listing, bins: [catalogueBin(ID[2], 2, 3), catalogueBin(ID[0], 0, 2), catalogueBin(ID[1], 1, 0), catalogueBin(ID[0], 0, 2)] });
    assert.equal(v.kind, 'range');
    assert.deepEqual(viewBins(v).map((b) => [b.id, b.imageCount, b.status]), [[ID[0], 2, 'waiting'], [ID[1], 0, 'waiting'], [ID[2], 3, 'waiting']]);
    const stale = run([{ type: 'open-bin', binId: ID[0] }], v);
    assert.equal(viewReducer(stale, { type: 'geometry-arrived', generation: listing, entries: [geometry(ID[0], [1])] }), stale);
    assert.equal(viewReducer(stale, { type: 'open-range', generation: listing, bins: [] }), stale);
  });

  it('geometry and errors land on their bins; columns asked later are merged, not lost', () => {
    let v = run([{ type: 'list-range', label: 'x' }]);
    const g = v.generation;
    v = run([{ type: 'open-range', generation: g, bins: [catalogueBin(ID[0], 0, 2), catalogueBin(ID[1], 1, 1)] }, { type: 'geometry-requested', generation: g, binIds: [ID[0], ID[1]] }], v);
    assert.deepEqual(binsNeedingGeometry(v, [0, 1], []), []);
    // the bins that follow join a request, up to the batch size; nothing is asked when nothing near needs it
    const listed = viewReducer(run([{ type: 'list-range', label: 'y' }]), { type: 'open-range', generation: 1, bins: [0, 1, 2].map((h) => catalogueBin(ID[h]!, h, 1)) });
    assert.deepEqual(binsNeedingGeometry(listed, [0], [], 2), [ID[0], ID[1]]);
    assert.deepEqual(binsNeedingGeometry(listed, [1], [], 8), [ID[1], ID[2]]);
    assert.deepEqual(binsNeedingGeometry(v, [0], [], 8), []);
    v = viewReducer(v, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [5, 6]), { binId: ID[1], error: { code: 'ROI_TRUNCATED', message: 'cut' } }] });
    assert.deepEqual(viewBins(v).map((b) => [b.status, b.error?.code ?? null]), [['ready', null], ['error', 'ROI_TRUNCATED']]);
    assert.deepEqual(viewBins(v)[0]!.qc, []);
    assert.deepEqual(binsNeedingGeometry(v, [0, 1], ['PMTA', 'NotInBin']), [ID[0]]);
    v = viewReducer(v, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [5, 6], true)] });
    assert.deepEqual(binsNeedingGeometry(v, [0, 1], ['PMTA']), []);
    assert.deepEqual([...viewBins(v)[0]!.geometry!.columns['PMTA']!], [-1, -2]);
  });
});

describe('letting go of bins far from the viewport', () => {
  const day = (n: number) => {
    let v = run([{ type: 'list-range', label: 'day' }]);
    const g = v.generation;
    const ids = Array.from({ length: n }, (_, i) => `D20240101T${String(i).padStart(2, '0')}0000_IFCB001`);
    v = viewReducer(v, { type: 'open-range', generation: g, bins: ids.map((id, i) => catalogueBin(id, i, 2)) });
    v = viewReducer(v, { type: 'geometry-arrived', generation: g, entries: ids.map((id) => geometry(id, [3, 1])) });
    return { v, g, ids };
  };

  it('only ready bins more than KEEP_BEHIND before or KEEP_AHEAD after the near slots, in a range only', () => {
    const { v, ids } = day(KEEP_BEHIND + KEEP_AHEAD + 6);
    const first = KEEP_BEHIND + 2;
    const last = first + 1;
    const kept = new Set(ids.slice(first - KEEP_BEHIND, last + KEEP_AHEAD + 1));
    assert.deepEqual(binsToDrop(v, { first, last }), ids.filter((id) => !kept.has(id)));
    assert.deepEqual(binsToDrop(v, { first: 0, last: ids.length - 1 }), []);
    const single = viewReducer(run([{ type: 'open-bin', binId: ids[0]! }]), { type: 'geometry-arrived', generation: 1, entries: [geometry(ids[0]!, [1])] });
    assert.deepEqual(binsToDrop(single, { first: 40, last: 40 }), []);
  });

  it('a bin let go waits again without its geometry, keeping its image count; others are untouched', () => {
    const { v, g, ids } = day(3);
    const loading = viewReducer(v, { type: 'geometry-dropped', generation: g, binIds: [ids[0]!] });
    assert.deepEqual(viewBins(loading).map((b) => [b.status, b.geometry === null, b.imageCount]), [['waiting', true, 2], ['ready', false, 2], ['ready', false, 2]]);
    assert.equal(viewBins(loading)[1], viewBins(v)[1]);
    assert.deepEqual(binsNeedingGeometry(loading, [0, 1], []), [ids[0]]);
    assert.deepEqual(display(loading).sections.map((s) => [s.slot, s.loaded, s.expectedImages]), [[0, false, 2], [1, true, 2], [2, true, 2]]);
    // the counts stay whole; a sort across bins waits for the bin to come back
    const d = display(loading);
    assert.deepEqual([d.shown, d.total, d.binsLoaded, d.keys.length], [6, 6, 3, 4]);
    assert.equal(display(loading, { key: 'area' }).waitingForAll, true);
    assert.equal(viewBins(viewReducer(loading, { type: 'geometry-arrived', generation: g, entries: [geometry(ids[0]!, [3, 1])] }))[0]!.letGo, undefined);
    // an older view's drop is ignored
    assert.equal(viewReducer(loading, { type: 'geometry-dropped', generation: g - 1, binIds: [ids[1]!] }), loading);
  });
});

describe('display model', () => {
  const range = () => {
    let v = run([{ type: 'list-range', label: 'x' }]);
    const g = v.generation;
    v = viewReducer(v, { type: 'open-range', generation: g, bins: [catalogueBin(ID[0], 0, 2), catalogueBin(ID[1], 1, 40), catalogueBin(ID[2], 2, 3)] });
    return { v, g };
  };

  it('bins in time order, each a section with a header; a bin not loaded is a placeholder of its catalogue count', () => {
    const { v, g } = range();
    const d = display(viewReducer(v, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [3, 1]), geometry(ID[2], [2, 2, 9])] }));
    assert.deepEqual(d.keys, [roiKey(0, 1), roiKey(0, 2), roiKey(2, 1), roiKey(2, 2), roiKey(2, 3)]);
    assert.deepEqual(d.sections.map((s) => [s.slot, s.header, s.start, s.end, s.loaded, s.expectedImages]), [[0, true, 0, 2, true, 2], [1, true, 2, 2, false, 40], [2, true, 2, 5, true, 3]]);
    assert.deepEqual([d.shown, d.total, d.binsLoaded, d.binsTotal, d.across, d.waitingForAll], [5, 5, 2, 3, false, false]);
  });

  it('a sort by area runs across the whole range, only once every bin is here; ties keep time order', () => {
    const { v, g } = range();
    const partial = viewReducer(v, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [3, 1]), geometry(ID[2], [2, 2, 9])] });
    const area = { key: 'area', descending: true };
    assert.equal(display(partial, area).waitingForAll, true);
    assert.deepEqual(display(partial, area).keys, []);
    const all = viewReducer(partial, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[1], [2])] });
    const d = display(all, area);
    assert.deepEqual(d.keys, [roiKey(2, 3), roiKey(0, 1), roiKey(1, 1), roiKey(2, 1), roiKey(2, 2), roiKey(0, 2)]);
    assert.deepEqual(d.sections.map((s) => s.header), [false]);
    // a filter applies bin by bin and keeps the headers: widths of at least 3 px
    const f = display(all, { key: 'target' }, { ...NO_FILTER, field: 'width', fieldMin: '3' });
    assert.deepEqual(f.keys, [roiKey(0, 1), roiKey(2, 3)]);
    assert.deepEqual([f.shown, f.total], [2, 6]);
  });

  it('asking for bins changes nothing shown; an arrival or a failure does', () => {
    const { v, g } = range();
    const asked = viewReducer(v, { type: 'geometry-requested', generation: g, binIds: [ID[0], ID[1]] });
    assert.equal(sameDisplayInputs(v, asked), true);
    const arrived = viewReducer(asked, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [3, 1])] });
    assert.equal(sameDisplayInputs(asked, arrived), false);
    assert.equal(sameDisplayInputs(asked, viewReducer(asked, { type: 'geometry-failed', generation: g, binIds: [ID[1]], error: { code: 'INTERNAL', message: 'x' } })), false);
    assert.equal(sameDisplayInputs(v, run([{ type: 'close' }], v)), false);
  });

  it('finds a tile by key in the section of its bin, and across bins when sorted across them', () => {
    const { v, g } = range();
    const all = viewReducer(v, { type: 'geometry-arrived', generation: g, entries: [geometry(ID[0], [3, 1]), geometry(ID[1], [2]), geometry(ID[2], [2, 2, 9])] });
    const area = { key: 'area', descending: true };
    for (const d of [display(all), display(all, area), display(all, { key: 'target' }, { ...NO_FILTER, field: 'width', fieldMin: '3' })]) {
      d.keys.forEach((k, i) => assert.equal(displayIndexOf(d, k), i));
      assert.equal(displayIndexOf(d, roiKey(1, 7)), -1);
    }
    assert.equal(displayIndexOf(display(all, { key: 'target' }, { ...NO_FILTER, field: 'width', fieldMin: '3' }), roiKey(0, 2)), -1);
  });

  it('a single bin has no header and sorts within itself', () => {
    const v = viewReducer(run([{ type: 'open-bin', binId: ID[0] }]), { type: 'geometry-arrived', generation: 1, entries: [geometry(ID[0], [3, 1, 2])] });
    const d = display(v, { key: 'width' });
    assert.deepEqual(d.keys, [2, 3, 1]);
    assert.deepEqual(d.sections.map((s) => s.header), [false]);
  });

  it('the filter names the columns it needs and warns when its minimum is above its maximum', () => {
    assert.deepEqual(columnsNeeded({ key: 'adc:PMTB' }, { ...NO_FILTER, field: 'adc:PMTA', fieldMin: '1' }), ['PMTB', 'PMTA']);
    assert.deepEqual(columnsNeeded({ key: 'area' }, { ...NO_FILTER, field: 'adc:PMTA' }), []);
    assert.match(filterProblem({ ...NO_FILTER, sizeMin: '50', sizeMax: '10' })!, /Size filter: the minimum \(50\) is above the maximum \(10\)/);
    assert.match(filterProblem({ ...NO_FILTER, field: 'adc:PMTA', fieldMin: '2', fieldMax: '1' })!, /^PMTA filter/);
    assert.equal(filterProblem({ ...NO_FILTER, sizeMin: '5', sizeMax: '5' }), null);
  });
});

describe('basket', () => {
  it('keeps what was picked in bins that left the view, restores it when they return, exports all of it', () => {
    const view = [ID[0], ID[1]];
    let basket = stashSelection(new Map([[ID[2], [7]]]), view, [roiKey(0, 3), roiKey(1, 9), roiKey(1, 2)]);
    assert.deepEqual([...basket], [[ID[2], [7]], [ID[0], [3]], [ID[1], [2, 9]]]);
    assert.deepEqual(restoreSelection(basket, [ID[1], ID[2]]), [roiKey(0, 2), roiKey(0, 9), roiKey(1, 7)]);
    // deselecting everything in a bin of the view removes its entry
    basket = stashSelection(basket, view, [roiKey(1, 9)]);
    assert.deepEqual([...basket], [[ID[2], [7]], [ID[1], [9]]]);
    assert.deepEqual(exportItems(basket, [ID[2]], [roiKey(0, 1)]), [{ binId: ID[1], targets: [9] }, { binId: ID[2], targets: [1] }]);
    assert.deepEqual(basketCounts(basket, [ID[0]], [roiKey(0, 4), roiKey(0, 5)]), { images: 4, bins: 3 });
  });
});
