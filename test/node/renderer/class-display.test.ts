/**
 * The display model with class conditions and sorts (renderer/state/display.ts) on real class tables: the WHOI v3
 * results of D20141117T234033_IFCB102 (1,346 ROIs, 51 classes, features), the SMHI results and manual labels of
 * D20220522T003051_IFCB134, and the features of IFCB5_2012_028_081515 (no classifier). Expected orders are computed
 * here from the product files' text (the Dashboard CSV's scores, the features CSVs) independently of the readers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openBin } from '../../../main/ifcb/index.ts';
import type { Bin } from '../../../main/ifcb/index.ts';
import { joinClasses, loadBinProducts } from '../../../main/products/bin-classes.ts';
import { binFacts } from '../../../main/products/bin-facts.ts';
import { findProducts } from '../../../main/products/discover.ts';
import { summarizeBin } from '../../../main/ipc/summaries.ts';
import type { BinGeometry } from '../../../shared/ipc/bin-geometry.ts';
import type { BinClasses } from '../../../shared/ipc/contract.ts';
import { roiKey, slotOfKey, targetOfKey } from '../../../shared/mosaic/keys.ts';
import { CLASS_SORT_OPTIONS, buildDisplay, classesNeeded, filterProblem, roiFilterOf } from '../../../renderer/state/display.ts';
import type { DisplayOptions } from '../../../renderer/state/display.ts';
import { withLabel } from '../../../renderer/state/classes.ts';
import type { ViewBin, ViewState } from '../../../renderer/state/view.ts';
import { NO_FILTER, filterActive } from '../../../renderer/state/filter.ts';
import type { MosaicFilter } from '../../../renderer/state/filter.ts';
import { DATA_ROOT } from '../../helpers/data.ts';
import { product } from '../products/paths.ts';

const PX_PER_UM = 3.4;
const IFCB102 = 'D20141117T234033_IFCB102';
const IFCB134 = 'D20220522T003051_IFCB134';
const IFCB5 = 'IFCB5_2012_028_081515';

/** The bin's layout input as `bins:geometry` gives it (a bin without .roi claims one: only the display is tested). */
function geometryOf(bin: Bin): BinGeometry {
  const gs = bin.images.geometries();
  const summary = summarizeBin(bin);
  return {
    bin: { ...summary, hasRoiFile: true },
    adcColumns: [],
    target: Uint32Array.from(gs, (g) => g.target),
    width: Uint32Array.from(gs, (g) => g.width),
    height: Uint32Array.from(gs, (g) => g.height),
    columns: {},
    readable: gs.length,
  };
}

function loaded(adc: string, folders: string[]): { bin: ViewBin; table: BinClasses } {
  const bin = openBin(adc);
  const files = folders.flatMap((dir) => findProducts(bin.id, product(dir)));
  const products = loadBinProducts(files, binFacts(bin), { strict: true });
  const table = joinClasses(binFacts(bin), products, { pxPerUm: PX_PER_UM });
  const g = geometryOf(bin);
  const view: ViewBin = { id: bin.id, schema: bin.schema, instrument: g.bin.instrument, timestamp: g.bin.timestamp, epochMs: g.bin.epochMs, imageCount: g.target.length, mlAnalyzed: g.bin.mlAnalyzed, qc: [], status: 'ready', geometry: g, error: null };
  return { bin: view, table };
}

const b102 = loaded(product(`raw-partial/${IFCB102}.adc`), ['class-scores', 'features-blobs']);
const b134 = loaded(path.join(DATA_ROOT, `irfcb/data/${IFCB134}.adc`), ['class-scores', 'manual']);
const b5 = loaded(path.join(DATA_ROOT, `pyifcb/data/2012/IFCB5_2012_028/${IFCB5}.adc`), ['features-blobs']);

const single = (b: { bin: ViewBin }): ViewState => ({ kind: 'bin', generation: 1, label: b.bin.id, bins: [b.bin] });
/** IFCB5 (2012) then IFCB134 (2022): time order. */
const range: ViewState = { kind: 'range', generation: 2, label: 'two', bins: [b5.bin, b134.bin] };
const allTables = new Map([b102, b134, b5].map((b) => [b.bin.id, b.table]));

function show(view: ViewState, sort: DisplayOptions['sort'], filter: Partial<MosaicFilter> = {}, tables: ReadonlyMap<string, BinClasses> = allTables, failed = new Map()) {
  return buildDisplay(view, { sort, filter: { ...NO_FILTER, ...filter }, pxPerUmOf: () => PX_PER_UM, classes: { tables, failed } });
}
const targets = (keys: readonly number[]) => keys.map(targetOfKey);
const pairs = (keys: readonly number[]) => keys.map((k) => [slotOfKey(k), targetOfKey(k)]);

/** IFCB102's classifier results from the Dashboard CSV text: winning class and score per target. */
function dashboardWinners(): { target: number; name: string; score: number }[] {
  const [head, ...rows] = readFileSync(product(`derived/${IFCB102}_class_scores.csv`), 'utf8').trim().split('\n');
  const names = head!.split(',').slice(1);
  return rows.map((line) => {
    const [pid, ...cells] = line.split(',');
    const values = cells.map(Number);
    const best = values.indexOf(Math.max(...values));
    return { target: Number(pid!.slice(pid!.lastIndexOf('_') + 1)), name: names[best]!, score: values[best]! };
  });
}

/** A features CSV's column by target. */
function featureColumn(file: string, column: string): Map<number, number> {
  const [head, ...rows] = readFileSync(product(file), 'utf8').trim().split('\n');
  const cols = head!.replace(/\r$/, '').split(',');
  const at = cols.indexOf(column);
  return new Map(rows.map((line) => {
    const cells = line.replace(/\r$/, '').split(',');
    return [Number(cells[0]), Number(cells[at])];
  }));
}

describe('class conditions in one bin', () => {
  it('a class filter keeps exactly the ROIs whose class is one of those chosen (WHOI v3, 1,346 ROIs)', () => {
    const winners = dashboardWinners();
    assert.equal(winners.length, 1346);
    const chosen = ['Chaetoceros', 'Pennate'];
    const expected = winners.filter((w) => chosen.includes(w.name)).map((w) => w.target);
    assert.equal(expected.length, 49);
    const m = show(single(b102), { key: 'target' }, { classes: chosen });
    assert.deepEqual(targets(m.keys), expected);
    assert.equal(m.shown, 49);
    assert.equal(m.total, 1346);
    assert.deepEqual(m.classes, { needed: true, pending: 0, withoutResults: 0, withoutFeatures: 0 });
  });

  it('sort by score: best first, ties in target order; a threshold keeps the ROIs at or above it', () => {
    const winners = dashboardWinners();
    const expected = [...winners].sort((a, b) => b.score - a.score || a.target - b.target).map((w) => w.target);
    const m = show(single(b102), { key: 'class:score', descending: true });
    assert.deepEqual(targets(m.keys), expected);
    assert.deepEqual(targets(m.keys).slice(0, 8), [190, 917, 918, 1168, 1274, 1292, 1301, 63]);
    const high = show(single(b102), { key: 'target' }, { minScore: 0.99 });
    assert.deepEqual(targets(high.keys), winners.filter((w) => w.score >= 0.99).map((w) => w.target));
  });

  it('sort by ESD and biovolume from the features file; an ESD range in µm', () => {
    const esd = featureColumn(`features-blobs/${IFCB102}_fea_v2.csv`, 'EquivDiameter');
    const order = [...esd.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]).map(([t]) => t);
    assert.deepEqual(targets(show(single(b102), { key: 'class:esd' }).keys), order);
    // IFCB5 (schema 1, stitched ROI 3 = 263×86): its five scored ROIs by biovolume, largest first
    const bio = featureColumn(`features-blobs/${IFCB5}_features_v4.csv`, 'summedBiovolume');
    assert.deepEqual([...bio.keys()], [1, 2, 3, 5, 6]);
    const m = show(single(b5), { key: 'class:biovolume', descending: true });
    assert.deepEqual(targets(m.keys), [...bio.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t));
    const esd5 = featureColumn(`features-blobs/${IFCB5}_features_v4.csv`, 'EquivDiameter');
    const within = [...esd5.entries()].filter(([, px]) => px / PX_PER_UM >= 10 && px / PX_PER_UM <= 30).map(([t]) => t);
    assert.deepEqual(targets(show(single(b5), { key: 'target' }, { esdMin: '10', esdMax: '30' }).keys), within);
    assert.ok(within.length > 0 && within.length < 5);
  });

  it('SMHI results + manual file: class, score threshold, manual differs, not reviewed', () => {
    // ROIs 2 and 3: Mesodinium_rubrum by the classifier (0.63, 0.69) and by the person
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { classes: ['Mesodinium_rubrum'] }).keys), [2, 3]);
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { minScore: 0.65 }).keys), [3]);
    assert.deepEqual(targets(show(single(b134), { key: 'class:score' }).keys), [2, 3]);
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { manualDiffers: true }).keys), []);
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { unreviewed: true }).keys), []);
    // a person relabels ROI 3: it now differs, and it is what the filter for the new class shows
    const relabelled = new Map(allTables).set(IFCB134, withLabel(b134.table, [3], 'Ciliates'));
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { manualDiffers: true }, relabelled).keys), [3]);
    assert.deepEqual(targets(show(single(b134), { key: 'target' }, { classes: ['Ciliates'] }, relabelled).keys), [3]);
    assert.deepEqual(targets(show(single(b134), { key: 'class:name' }, {}, relabelled).keys), [3, 2]);
  });
});

describe('class conditions across a range', () => {
  it('a bin without classifier results shows every image with no class condition, none with one (and is counted)', () => {
    const open = show(range, { key: 'target' });
    assert.deepEqual(pairs(open.keys), [[0, 1], [0, 2], [0, 3], [0, 5], [0, 6], [1, 2], [1, 3]]);
    assert.equal(open.classes.needed, false);
    const m = show(range, { key: 'target' }, { classes: ['Mesodinium_rubrum'] });
    assert.deepEqual(pairs(m.keys), [[1, 2], [1, 3]]);
    assert.deepEqual(m.sections.map((s) => [s.slot, s.end - s.start]), [[0, 0], [1, 2]]);
    assert.equal(m.classes.withoutResults, 1);
    assert.equal(m.shown, 2);
    assert.equal(m.total, 7);
    // "not reviewed" is a class condition too: IFCB5 has no labels at all, yet shows nothing
    assert.deepEqual(pairs(show(range, { key: 'target' }, { unreviewed: true }).keys), []);
    // a size condition needs the features file: IFCB134's are not in its folders here
    const sized = show(range, { key: 'target' }, { esdMin: '0' });
    assert.deepEqual(pairs(sized.keys), [[0, 1], [0, 2], [0, 3], [0, 5], [0, 6]]);
    assert.deepEqual(sized.classes, { needed: true, pending: 0, withoutResults: 0, withoutFeatures: 1 });
  });

  it('a sort by score across bins: one section, scored ROIs first, the rest in time then target order', () => {
    const m = show(range, { key: 'class:score', descending: true });
    assert.equal(m.across, true);
    assert.deepEqual(pairs(m.keys), [[1, 3], [1, 2], [0, 1], [0, 2], [0, 3], [0, 5], [0, 6]]);
    // by ESD: IFCB5's from its features file, smallest first; IFCB134 has no features here: last, in target order
    const esd5 = featureColumn(`features-blobs/${IFCB5}_features_v4.csv`, 'EquivDiameter');
    const bySize = [...esd5.entries()].sort((a, b) => a[1] - b[1]).map(([t]) => [0, t]);
    assert.deepEqual(pairs(show(range, { key: 'class:esd' }).keys), [...bySize, [1, 2], [1, 3]]);
  });

  it('tables not here yet: a bin-by-bin display leaves the bin empty and counts it; a sort across bins waits', () => {
    const only5 = new Map([[IFCB5, b5.table]]);
    const m = show(range, { key: 'target' }, { classes: ['Mesodinium_rubrum'] }, only5);
    assert.deepEqual(m.classes, { needed: true, pending: 1, withoutResults: 1, withoutFeatures: 0 });
    assert.deepEqual(m.sections.map((s) => [s.slot, s.loaded, s.end - s.start]), [[0, true, 0], [1, false, 0]]);
    assert.equal(show(range, { key: 'class:score' }, {}, only5).waitingForAll, true);
    // a table that failed reads as none: nothing waits for it
    const failed = show(range, { key: 'class:score' }, {}, only5, new Map([[IFCB134, { code: 'PRODUCT_CORRUPT', message: 'x' }]]));
    assert.equal(failed.waitingForAll, false);
    assert.equal(failed.keys.length, 7);
    // without class conditions or sorts the tables are not read at all
    assert.deepEqual(pairs(show(range, { key: 'target' }, {}, new Map()).keys).length, 7);
  });

  it('a label in one bin re-filters that bin only: the other sections keep their arranged order object', () => {
    const filter = { classes: ['Ciliates'] };
    const three = { kind: 'range', generation: 3, label: 'three', bins: [b5.bin, b134.bin, { ...b102.bin, epochMs: b134.bin.epochMs + 1 }] } as ViewState;
    const before = show(three, { key: 'target' }, filter);
    const after = show(three, { key: 'target' }, filter, new Map(allTables).set(IFCB134, withLabel(b134.table, [2], 'Ciliates')));
    assert.deepEqual(pairs(after.keys), [[1, 2]]);
    assert.equal(after.sections[2]!.identity, before.sections[2]!.identity);
    assert.notEqual(after.sections[1]!.identity, before.sections[1]!.identity);
    assert.deepEqual(roiKey(1, 2), after.keys[0]);
  });
});

describe('the filter fields', () => {
  it('what the class table is asked for, the class sorts offered, and impossible ranges', () => {
    assert.equal(roiFilterOf(NO_FILTER), null);
    assert.equal(classesNeeded({ key: 'target' }, NO_FILTER), false);
    assert.equal(classesNeeded({ key: 'class:name' }, NO_FILTER), true);
    assert.deepEqual(roiFilterOf({ ...NO_FILTER, classes: ['A'], minScore: 0.5, biovolumeMax: '100' }), { classes: ['A'], minScore: 0.5, sizes: { biovolumeUm3: { max: 100 } } });
    assert.deepEqual(roiFilterOf({ ...NO_FILTER, manualDiffers: true, unreviewed: true, esdMin: '2' }), { manualDiffers: true, unreviewed: true, sizes: { esdUm: { min: 2 } } });
    assert.equal(filterActive({ ...NO_FILTER, minScore: 0.2 }), true);
    assert.deepEqual(CLASS_SORT_OPTIONS.map((o) => o.key), ['class:score', 'class:name', 'class:esd', 'class:biovolume']);
    assert.match(filterProblem({ ...NO_FILTER, esdMin: '20', esdMax: '5' })!, /^ESD filter: the minimum \(20\) is above the maximum \(5\)/);
  });
});
