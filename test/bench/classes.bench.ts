/**
 * Classes (issue 11): loading the scores of a generated 10,000-ROI × 50-class bin (WHOI v3 layout: float16,
 * gzip, written by h5py; and the same scores as a MAT v5 `_class_v1.mat` from our writer) against reading the
 * file's bytes; filtering 10,000 ROIs by class + score (target < 16 ms, one frame) against a naive filter over
 * per-ROI objects; applying 1,000 labels in the store (one key press over a selection, target < 100 ms for the
 * data side) against a bare single-transaction insert of the same rows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { filterRows, tableRows } from '../../shared/classes/filter.ts';
import { openDatabase } from '../../main/index/database.ts';
import { joinClasses } from '../../main/products/bin-classes.ts';
import { readClassH5 } from '../../main/products/class-h5.ts';
import { readClassMat } from '../../main/products/class-mat.ts';
import { LabelStore } from '../../main/products/label-store.ts';
import { writeMat5 } from '../../main/products/mat5-writer.ts';
import type { ClassScores } from '../../main/products/types.ts';
import { mulberry32 } from '../helpers/prng.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { pythonWith } from '../node/products/python.ts';
import { fmt, timeMedian, type Bench } from './harness.ts';

export const title = 'Classes: score loading, class filter, labelling';

const ROIS = 10_000;
const CLASSES = 50;
const BIN = 'D20220522T003051_IFCB134';

/** Softmax-like rows: one dominant class per ROI (so filters select ~1/50 of the bin). */
function scores(): Float64Array {
  const rnd = mulberry32(11);
  const out = new Float64Array(ROIS * CLASSES);
  for (let i = 0; i < ROIS; i++) {
    const win = Math.floor(rnd() * CLASSES);
    let sum = 0;
    for (let j = 0; j < CLASSES; j++) sum += out[i * CLASSES + j] = j === win ? 5 + rnd() * 20 : rnd();
    for (let j = 0; j < CLASSES; j++) out[i * CLASSES + j]! /= sum;
  }
  return out;
}

const classNames = Array.from({ length: CLASSES }, (_, j) => `class_${String(j).padStart(2, '0')}`);

function writeMat(file: string, s: Float64Array): void {
  const colMajor = new Float64Array(ROIS * CLASSES);
  for (let i = 0; i < ROIS; i++) for (let j = 0; j < CLASSES; j++) colMajor[j * ROIS + i] = s[i * CLASSES + j]!;
  writeFileSync(
    file,
    writeMat5([
      ['roinum', { kind: 'double', rows: ROIS, cols: 1, data: Array.from({ length: ROIS }, (_, i) => i + 2) }],
      ['TBscores', { kind: 'double', rows: ROIS, cols: CLASSES, data: colMajor }],
      ['class2useTB', { kind: 'cell', shape: 'column', items: [...classNames, 'unclassified'] }],
    ]),
  );
}

function writeH5(python: string, file: string, s: Float64Array, rawFile: string): void {
  writeFileSync(rawFile, s);
  execFileSync(python, [
    '-c',
    `
import h5py, numpy as np, sys
s = np.fromfile(sys.argv[2], dtype='<f8').reshape(${ROIS}, ${CLASSES}).astype('f2')
with h5py.File(sys.argv[1], 'w') as f:
    f.create_dataset('output_scores', data=s, compression='gzip', compression_opts=4, chunks=(337, 13))
    f.create_dataset('class_labels', data=np.array(${JSON.stringify(classNames)}, dtype=h5py.string_dtype()))
    f.create_dataset('roi_numbers', data=np.arange(2, ${ROIS + 2}, dtype='u2'))
`,
    file,
    rawFile,
  ]);
}

async function loadFigure(bench: Bench, name: string, file: string, read: (b: Uint8Array) => ClassScores): Promise<ClassScores> {
  const bytesMs = await timeMedian(() => readFileSync(file), 7, 2);
  let loaded: ClassScores | undefined;
  const loadMs = await timeMedian(() => (loaded = read(new Uint8Array(readFileSync(file)))), 5, 1);
  bench.figure({
    name: `load ${name} (${ROIS} ROIs × ${CLASSES} classes, ${(readFileSync(file).length / 1024).toFixed(0)} KB)`,
    ratio: loadMs / bytesMs,
    detail: `${fmt(loadMs)} ms to decode vs ${fmt(bytesMs, 3)} ms to read the bytes (ratio = decode cost in file reads)`,
  });
  return loaded!;
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-bench-classes-');
  try {
    const s = scores();
    const matFile = path.join(dir, `${BIN}_class_v1.mat`);
    writeMat(matFile, s);
    const fromMat = await loadFigure(bench, 'class_v1.mat (own MAT reader)', matFile, (b) => readClassMat(b, matFile));
    const python = pythonWith('h5py');
    if (python) {
      const h5File = path.join(dir, `${BIN}_class.h5`);
      writeH5(python, h5File, s, path.join(dir, 'scores.f64'));
      await loadFigure(bench, 'class.h5 float16+gzip (jsfive)', h5File, (b) => readClassH5(b, h5File));
    } else {
      bench.log('no python3 with h5py: the HDF5 load figure is skipped');
    }

    const table = joinClasses(
      { binId: BIN, adcRows: ROIS + 1, imageTargets: fromMat.rois, mlAnalyzed: 5 },
      { files: [], scores: fromMat, manual: null, features: null, blobs: null, problems: [] },
    );
    const wanted = ['class_07', 'class_31'];
    const filterMs = await timeMedian(() => filterRows(table, { classes: wanted, minScore: 0.3 }), 41, 5);
    const naiveMs = await timeMedian(() => tableRows(table).filter((r) => r.classAboveThreshold !== null && wanted.includes(r.classAboveThreshold) && (r.score ?? -1) >= 0.3), 11, 2);
    bench.figure({
      name: `filter ${ROIS} ROIs by two classes + score`,
      ratio: naiveMs / filterMs,
      detail: `${fmt(filterMs, 3)} ms (filterRows, ${filterRows(table, { classes: wanted, minScore: 0.3 }).length} kept) vs ${fmt(naiveMs, 3)} ms (per-ROI objects + Array.filter); ratio > 1 = faster`,
      target: '< 16 ms',
      met: filterMs < 16,
    });

    const db = openDatabase(path.join(dir, 'library.sqlite'));
    try {
      const store = new LabelStore(db);
      db.exec('CREATE TABLE bare (bin_id TEXT, roi INTEGER, label TEXT, PRIMARY KEY (bin_id, roi)) STRICT, WITHOUT ROWID');
      const targets = Array.from({ length: 1000 }, (_, i) => i + 2);
      let round = 0;
      const labelMs = await timeMedian(() => store.set([{ binId: BIN, targets }], `class_${String(round++ % CLASSES).padStart(2, '0')}`, { annotator: 'bench' }), 9, 2);
      const insert = db.prepare('INSERT OR REPLACE INTO bare VALUES (?, ?, ?)');
      const bareMs = await timeMedian(() => db.transaction(() => targets.forEach((t) => insert.run(BIN, t, `c${round++}`)))(), 9, 2);
      const undoMs = await timeMedian(() => store.undo(), 5, 0);
      bench.figure({
        name: 'apply 1,000 labels (one undoable change)',
        ratio: labelMs / bareMs,
        detail: `${fmt(labelMs)} ms vs ${fmt(bareMs)} ms for a bare 1,000-row insert (ratio = cost of the undo log and who/when); undo ${fmt(undoMs)} ms`,
        target: '< 100 ms',
        met: labelMs < 100,
      });
    } finally {
      db.close();
    }
  } finally {
    removeTempDir(dir);
  }
}
