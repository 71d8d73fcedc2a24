/** Product discovery by file name (every producer's naming) and the choice between several class files. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { chooseProducts, classifyProductName, findProducts, scanProductFolder, thresholdsFileFor } from '../../../main/products/discover.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { PRODUCTS_ROOT, product } from './paths.ts';

test('file names each producer uses', () => {
  const b = 'D20220522T003051_IFCB134';
  const cases: [string, string | null, number][] = [
    [`${b}_class.h5`, 'class-h5', 0],
    [`${b}_class_v1.mat`, 'class-mat', 1],
    [`${b}_class_scores.csv`, 'class-scores-csv', 0],
    [`${b}_class_v2.csv`, 'class-scores-csv', 2],
    [`${b}.csv`, 'class-roi-csv', 0],
    [`${b}.prob.csv`, 'class-prob-csv', 0],
    [`${b}_features_v4.csv`, 'features', 4],
    [`${b}_fea_v2.csv`, 'features', 2],
    [`${b}_blobs_v2.zip`, 'blobs', 2],
    [`${b}.mat`, 'manual-mat', 0],
    ['IFCB5_2012_028_081515_features_v4.csv', 'features', 4],
  ];
  for (const [name, kind, version] of cases) assert.deepEqual(classifyProductName(name), { binId: name.startsWith('IFCB5') ? 'IFCB5_2012_028_081515' : b, kind, version }, name);
  for (const name of [`${b}.adc`, `${b}.roi`, `${b}_multiblob_v4.csv`, 'class2use_irfcb.mat', 'D20221399T003051_IFCB134_class.h5', `${b}_class.h5.bak`]) {
    assert.equal(classifyProductName(name), null, name);
  }
});

test('scanning the shared products folder finds every product file under its bin', () => {
  const found = scanProductFolder(PRODUCTS_ROOT);
  const of = (bin: string) => found.filter((f) => f.binId === bin).map((f) => `${f.kind}:${path.relative(PRODUCTS_ROOT, f.path)}`).sort();
  assert.deepEqual(of('D20220522T003051_IFCB134'), [
    'class-h5:class-scores/D20220522T003051_IFCB134_class.h5',
    'class-mat:class-scores/D20220522T003051_IFCB134_class_v1.mat',
    'class-roi-csv:class-scores/D20220522T003051_IFCB134.csv',
    'class-scores-csv:derived/D20220522T003051_IFCB134_class_scores.csv',
    'features:features-blobs/D20220522T003051_IFCB134_fea_v2.csv',
    'manual-mat:manual/D20220522T003051_IFCB134.mat',
  ]);
  assert.equal(found.length, 24);
  assert.equal(thresholdsFileFor(product('class-scores/D20220101T221311_IFCB114.prob.csv')), product('class-scores/syke_thresholds-2021.txt'));
});

test('choosing: full score tables before summaries, the newest version, one of each kind', () => {
  const f = (kind: Parameters<typeof chooseProducts>[0][number]['kind'], version = 0) => ({ binId: 'b', kind, version, path: `${kind}${version}` });
  assert.equal(chooseProducts([f('class-roi-csv'), f('class-mat', 1), f('class-h5')]).classes?.kind, 'class-h5');
  assert.equal(chooseProducts([f('class-roi-csv'), f('class-prob-csv')]).classes?.kind, 'class-prob-csv');
  assert.equal(chooseProducts([f('features', 2), f('features', 4)]).features?.version, 4);
  assert.deepEqual(chooseProducts([]), { classes: null, manual: null, features: null, blobs: null });
});

test('findProducts: beside the bin and in results folders, each file once', (t) => {
  const dir = tempDirFor(t);
  const results = path.join(dir, 'results', 'class', 'D2022');
  mkdirSync(results, { recursive: true });
  writeFileSync(path.join(dir, 'D20220522T003051_IFCB134_features_v4.csv'), 'roi_number\n');
  writeFileSync(path.join(results, 'D20220522T003051_IFCB134_class.h5'), '');
  writeFileSync(path.join(results, 'D20220522T000439_IFCB134_class.h5'), '');
  const found = findProducts('D20220522T003051_IFCB134', dir, [path.join(dir, 'results'), path.join(dir, 'results')]);
  assert.deepEqual(found.map((p) => path.relative(dir, p.path)).sort(), ['D20220522T003051_IFCB134_features_v4.csv', 'results/class/D2022/D20220522T003051_IFCB134_class.h5']);
  assert.deepEqual(findProducts('D20220522T003051_IFCB134', path.join(dir, 'missing')), []);
});
