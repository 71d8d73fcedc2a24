/**
 * Every value of spec §11 and the §8 behaviours, asserted exactly on the real sample bins (read in
 * place), through the file-backed bin, a scope and `read()`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DATA_ROOT, SAMPLE } from '../../helpers/data.ts';
import { assertNoFdLeak, openFdsUnder } from '../../helpers/fd-leak.ts';
import { snapshotTree } from '../../helpers/file-snapshot.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { openBin, readBin, type Bin } from '../../../main/ifcb/bin.ts';
import type { BinData, RoiImage } from '../../../main/ifcb/types.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IfcbError) return e.code;
    throw e;
  }
  return 'no error';
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

function stats(px: Uint8Array): { min: number; max: number; sum: number } {
  let min = 255;
  let max = 0;
  let sum = 0;
  for (const v of px) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, sum };
}

interface Expected {
  path: string;
  id: string;
  schema: 1 | 2;
  instrument: number;
  timestamp: string;
  adcRows: number;
  adcColumns: number;
  triggers: number;
  headerKeys: number;
  hdrRunInhibit?: [number, number];
  rawRois: number[];
  roiFileBytes?: number;
  firstShapes?: [number, number, number][]; // [roi, h, w]
  firstSha?: string;
  sums?: [number, number, number, number][]; // [roi, sum, min, max]
  all?: { min: number; max: number; sum: number; sha: string };
  runTime: number;
  inhibitTime: number;
  lookTime: number;
  mlAnalyzed: number;
}

const D_ROIS = [2, 3, 4, 5, 10, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 35, 36, 37, 38, 39, 42, 43, 44, 45];

const A_LIKE = {
  id: 'IFCB5_2012_028_081515',
  schema: 1 as const,
  instrument: 5,
  timestamp: '2012-01-28T08:15:15Z',
  adcRows: 7,
  adcColumns: 15,
  triggers: 6,
  headerKeys: 7,
  rawRois: [1, 2, 3, 4, 5, 6],
  runTime: 1.251953,
  inhibitTime: 0.43799999999999994,
  lookTime: 0.8139530000000001,
  mlAnalyzed: 0.003391470833333334,
};

const EXPECTED: Record<'A' | 'B' | 'C' | 'D' | 'E', Expected> = {
  A: {
    ...A_LIKE,
    path: SAMPLE.A,
    roiFileBytes: 71083,
    firstShapes: [
      [1, 45, 96],
      [2, 137, 238],
      [3, 86, 180],
    ],
    firstSha: 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b',
    sums: [
      [1, 876252, 77, 230],
      [4, 1028322, 78, 255],
      [6, 1842603, 155, 249],
    ],
    all: { min: 33, max: 255, sum: 14166916, sha: '4e4c7648ce06e8f1fe9aaa6fedc619d69ded5898a7b9d6e8f8af4a950330cd3d' },
  },
  B: {
    path: SAMPLE.B,
    id: 'D20130526T095207_IFCB013',
    schema: 2,
    instrument: 13,
    timestamp: '2013-05-26T09:52:07Z',
    adcRows: 118,
    adcColumns: 24,
    triggers: 118,
    headerKeys: 82,
    hdrRunInhibit: [1231.024861, 11.62298],
    rawRois: [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114],
    roiFileBytes: 98472,
    firstShapes: [
      [7, 34, 88],
      [11, 66, 104],
      [13, 34, 72],
    ],
    firstSha: 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd',
    sums: [
      [7, 499893, 134, 201],
      [61, 2315266, 59, 217],
      [114, 2564526, 67, 206],
    ],
    all: { min: 51, max: 247, sum: 15918610, sha: '7997caf70de2f9ff1883ef61a2f7147a56877ce4dbbc3d669dfb4949739799e1' },
    runTime: 1184.037103,
    inhibitTime: 11.620325999999977,
    lookTime: 1172.416777,
    mlAnalyzed: 4.8850699041666665,
  },
  C: {
    path: SAMPLE.C,
    id: 'D20220522T003051_IFCB134',
    schema: 2,
    instrument: 134,
    timestamp: '2022-05-22T00:30:51Z',
    adcRows: 3,
    adcColumns: 24,
    triggers: 3,
    headerKeys: 117,
    hdrRunInhibit: [715.6575, 0.15215060763888888],
    rawRois: [2, 3],
    roiFileBytes: 30848,
    firstShapes: [
      [2, 82, 176],
      [3, 114, 144],
    ],
    firstSha: 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0',
    sums: [
      [2, 2326115, 24, 255],
      [3, 2780908, 28, 255],
    ],
    all: { min: 24, max: 255, sum: 5107023, sha: '3a46e47c2db57c95c1aed5d79adacec62398820cfcc544507d072295b5e498fc' },
    runTime: 715.6575,
    inhibitTime: 0.15215060763887323,
    lookTime: 715.5053493923612,
    mlAnalyzed: 2.981272289134838,
  },
  D: {
    path: SAMPLE.D,
    id: 'D20230810T113059_IFCB134',
    schema: 2,
    instrument: 134,
    timestamp: '2023-08-10T11:30:59Z',
    adcRows: 45,
    adcColumns: 24,
    triggers: 41,
    headerKeys: 123,
    hdrRunInhibit: [1186.8013888888888, 3.2460850694444443],
    rawRois: D_ROIS,
    runTime: 1186.8013888888888,
    inhibitTime: 3.2460850694444616,
    lookTime: 1183.5553038194444,
    mlAnalyzed: 4.931480432581018,
  },
  E: { ...A_LIKE, path: SAMPLE.E },
};

let snapshot: Map<string, string>;
before(() => {
  snapshot = snapshotTree(DATA_ROOT);
});
after(() => {
  assert.deepEqual(snapshotTree(DATA_ROOT), snapshot, 'sample data changed (bytes or mtime)');
  assert.deepEqual(openFdsUnder(DATA_ROOT), [], 'sample files left open');
});

for (const [letter, e] of Object.entries(EXPECTED)) {
  describe(`bin ${letter}: ${e.id} (spec §11)`, () => {
    test('identity, ADC shape, triggers, header keys, header run/inhibit time', () => {
      assertNoFdLeak(() => {
        for (const p of [e.path, `${e.path}.adc`, `${e.path}.hdr`, `${e.path}.roi`]) {
          const bin = openBin(p);
          assert.deepEqual([bin.id, bin.schema, bin.instrument, bin.timestamp], [e.id, e.schema, e.instrument, e.timestamp]);
          assert.equal(bin.paths.base, e.path);
        }
        const bin = openBin(e.path);
        assert.equal(bin.adc.rowCount, e.adcRows);
        assert.equal(bin.adc.columnNames.length, e.adcColumns);
        assert.equal(bin.adc.triggers, e.triggers);
        assert.equal(Object.keys(bin.headers).length, e.headerKeys);
        if (e.hdrRunInhibit) {
          assert.equal(bin.header('runTime'), e.hdrRunInhibit[0]);
          assert.equal(bin.header('RUNTIME'), e.hdrRunInhibit[0]);
          assert.equal(bin.header('inhibittime'), e.hdrRunInhibit[1]);
        }
        assert.equal(bin.hasRoiFile(), e.roiFileBytes !== undefined);
      });
    });

    test('metrics: run, inhibit, look time, ml analyzed (rel. tol. 1e-9)', () => {
      const m = openBin(e.path).metrics;
      close(m.runTime, e.runTime, 'runTime');
      close(m.inhibitTime, e.inhibitTime, 'inhibitTime');
      close(m.lookTime, e.lookTime, 'lookTime');
      close(m.mlAnalyzed, e.mlAnalyzed, 'mlAnalyzed');
      close(m.triggerRate, e.triggers / e.runTime, 'triggerRate');
    });

    test('raw image list is every target with a non-zero width, in target order', () => {
      const bin = openBin(e.path);
      assert.deepEqual(bin.rawImages.keys(), e.rawRois);
      assert.equal(bin.rawImages.size, e.rawRois.length);
      assert.equal(bin.rawImages.has(0), false);
      assert.equal(codeOf(() => bin.rawImages.geometry(0)), 'ROI_NOT_IN_BIN');
    });

    if (e.roiFileBytes === undefined) {
      test('no .roi: image geometry works, pixels and scopes are FILE_MISSING, nothing left open', () => {
        assertNoFdLeak(() => {
          const bin = openBin(e.path);
          assert.equal(bin.images.geometries().length, e.schema === 1 ? 5 : e.rawRois.length);
          assert.equal(codeOf(() => bin.scope()), 'FILE_MISSING');
          assert.equal(bin.openScopes, 0);
          assert.equal(codeOf(() => bin.images.get(e.rawRois[0]!)), 'FILE_MISSING');
          assert.equal(codeOf(() => bin.read()), 'FILE_MISSING');
          try {
            bin.scope();
          } catch (err) {
            assert.ok(err instanceof IfcbError);
            assert.match(err.message, new RegExp(`${e.id}: the \\.roi file is missing`));
            assert.equal(err.details?.path, `${e.path}.roi`);
          }
        });
      });
      return;
    }

    const checkPixels = (data: BinData) => {
      const raw = data.rawImages;
      for (const [roi, h, w] of e.firstShapes!) {
        const g = raw.geometry(roi);
        assert.deepEqual([g.height, g.width], [h, w]);
        const im = raw.get(roi);
        assert.deepEqual([im.target, im.height, im.width, im.pixels.length], [roi, h, w, h * w]);
      }
      assert.equal(sha(raw.get(e.rawRois[0]!).pixels), e.firstSha);
      for (const [roi, sum, min, max] of e.sums!) assert.deepEqual(stats(raw.get(roi).pixels), { sum, min, max }, `ROI ${roi}`);
      const all: RoiImage[] = [...raw.values()];
      assert.deepEqual(
        all.map((im) => im.target),
        e.rawRois,
      );
      const joined = Buffer.concat(all.map((im) => im.pixels));
      const s = stats(joined);
      assert.deepEqual({ ...s, sha: sha(joined) }, e.all);
      assert.deepEqual(
        raw.getMany([...e.rawRois].reverse()).map((im) => sha(im.pixels)),
        all.map((im) => sha(im.pixels)).reverse(),
      );
    };

    test('pixels outside a scope (open/read/close per read)', () => {
      assertNoFdLeak(() => checkPixels(openBin(e.path)));
    });

    test('pixels inside a scope', () => {
      const bin = openBin(e.path);
      assertNoFdLeak(() => {
        using scope = bin.scope();
        checkPixels(scope);
        assert.equal(openFdsUnder(`${e.path}.roi`).length, 1);
      });
      assert.deepEqual(openFdsUnder(`${e.path}.roi`), []);
    });

    test('read(): in memory, every file closed, same pixels, each image owns exactly its bytes', () => {
      const mem = assertNoFdLeak(() => readBin(`${e.path}.hdr`));
      assert.deepEqual(openFdsUnder(e.path), []);
      checkPixels(mem);
      // no image is a view into a shared buffer (which would keep it alive and be structured-cloned whole)
      const images = [...mem.rawImages.values()];
      assert.equal(new Set(images.map((im) => im.pixels.buffer)).size, images.length);
      for (const im of images) assert.equal(im.pixels.buffer.byteLength, im.width * im.height);
      assert.equal(Object.keys(mem.headers).length, e.headerKeys);
      assert.equal(mem.adc.rowCount, e.adcRows);
      close(mem.metrics.mlAnalyzed, e.mlAnalyzed, 'mlAnalyzed');
    });
  });
}

describe('image details (spec §4, §5)', () => {
  test('B ROI 99: shape (34, 64) and its top-left 5×5 block', () => {
    const im = openBin(SAMPLE.B).images.get(99);
    assert.deepEqual([im.height, im.width], [34, 64]);
    const block = Array.from({ length: 5 }, (_, r) => [...im.pixels.subarray(r * 64, r * 64 + 5)]);
    assert.deepEqual(block, [
      [172, 168, 172, 166, 171],
      [168, 170, 172, 171, 170],
      [167, 174, 171, 175, 168],
      [173, 171, 173, 170, 171],
      [176, 169, 176, 173, 172],
    ]);
  });

  test('A ROI 1: (45, 96), first row starts 208,207,206,206,207', () => {
    const im = openBin(SAMPLE.A).rawImages.get(1);
    assert.deepEqual([im.height, im.width], [45, 96]);
    assert.deepEqual([...im.pixels.subarray(0, 5)], [208, 207, 206, 206, 207]);
  });

  test('A stitched: images 1,2,3,5,6; ROI 3 is 86×263 with fill 203, sum and SHA-256 exact', () => {
    for (const data of [openBin(SAMPLE.A), readBin(SAMPLE.A)] as BinData[]) {
      assert.deepEqual(data.images.keys(), [1, 2, 3, 5, 6]);
      assert.equal(data.images.has(4), false);
      assert.equal(codeOf(() => data.images.get(4)), 'ROI_NOT_IN_BIN');
      const g = data.images.geometry(3);
      assert.deepEqual(g, { target: 3, width: 263, height: 86, byteOffset: 36927, x: 210, y: 432, stitchedWith: 4 });
      const im = data.images.get(3);
      assert.deepEqual([im.height, im.width], [86, 263]);
      assert.equal(stats(im.pixels).sum, 4604363);
      assert.equal(sha(im.pixels), '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f');
      // pyifcb's test window (rows 23–26, cols 177–182): its zeros become the fill value 203
      const window = [23, 24, 25, 26].map((r) => [...im.pixels.subarray(r * 263 + 177, r * 263 + 183)]);
      assert.deepEqual(window, [
        [205, 204, 205, 203, 203, 203],
        [202, 203, 206, 203, 203, 203],
        [205, 206, 205, 204, 202, 202],
        [204, 202, 205, 203, 202, 204],
      ]);
      // unstitched images pass through unchanged
      assert.deepEqual(data.images.get(1).pixels, data.rawImages.get(1).pixels);
      assert.deepEqual(data.images.get(6).pixels, data.rawImages.get(6).pixels);
    }
  });

  test('E (partial A) still has the stitched image index and metrics', () => {
    const bin = openBin(SAMPLE.E);
    assert.deepEqual(bin.images.keys(), [1, 2, 3, 5, 6]);
    assert.equal(bin.images.geometry(3).width, 263);
  });
});

describe('empty, invalid, skip and decoy bins (spec §8)', () => {
  const cases: [string, string, 1 | 2, number, string, number][] = [
    [SAMPLE.emptyV2, 'D20150411T205456_IFCB012', 2, 12, '2015-04-11T20:54:56Z', 99],
    [SAMPLE.emptyV1, 'IFCB5_2017_001_033645', 1, 5, '2017-01-01T03:36:45Z', 7],
    [SAMPLE.invalid, 'D20130101T101010_IFCB099', 2, 99, '2013-01-01T10:10:10Z', 0],
    [SAMPLE.skip, 'IFCB5_2006_001_121212', 1, 5, '2006-01-01T12:12:12Z', 0],
  ];
  for (const [p, id, schema, instrument, timestamp, keys] of cases) {
    test(`${id}: opens as an empty bin, NaN metrics, no error`, () => {
      assertNoFdLeak(() => {
        const bin = openBin(p);
        assert.deepEqual([bin.id, bin.schema, bin.instrument, bin.timestamp], [id, schema, instrument, timestamp]);
        assert.equal(bin.adc.rowCount, 0);
        assert.equal(bin.adc.triggers, 0);
        assert.equal(Object.keys(bin.headers).length, keys);
        assert.equal(bin.images.size, 0);
        assert.deepEqual(bin.images.keys(), []);
        const m = bin.metrics;
        for (const v of [m.runTime, m.inhibitTime, m.lookTime, m.mlAnalyzed]) assert.ok(Number.isNaN(v));
        {
          using scope = bin.scope();
          assert.equal([...scope.images].length, 0);
        }
        const mem = bin.read();
        assert.equal(mem.images.size, 0);
      });
    });
  }

  test('empty v2 bin keeps its header values; empty v1 its temperature', () => {
    const v2 = openBin(SAMPLE.emptyV2);
    assert.equal(v2.header('runTime'), 0.621083);
    assert.equal(v2.header('inhibitTime'), 0.037422);
    assert.equal(openBin(SAMPLE.emptyV1).header('temperature'), 13.3652795166016);
    assert.deepEqual(openBin(SAMPLE.invalid).headers, {});
  });

  test('decoy.adc and other non-bin names are INVALID_BIN_ID naming the file', () => {
    for (const p of [SAMPLE.decoy, '/x/foo.adc', '/x/IFCB5_2012_028.adc', '/x/D20131301T101010_IFCB099.adc', '/x/IFCB12_2012_028_081515.adc']) {
      try {
        openBin(p);
        assert.fail(`${p} opened`);
      } catch (err) {
        assert.ok(err instanceof IfcbError);
        assert.equal(err.code, 'INVALID_BIN_ID');
        assert.ok(err.message.includes(p.split('/').at(-1)!), err.message);
      }
    }
    // a bin name with a target/product suffix is not one of the bin's files
    assert.equal(codeOf(() => openBin('/x/D20130526T095207_IFCB013_00002.png')), 'INVALID_BIN_ID');
    assert.equal(codeOf(() => openBin('/x/D20130526T095207_IFCB013.txt')), 'INVALID_BIN_ID');
  });
});

describe('file errors', () => {
  test('missing .adc/.hdr are FILE_MISSING; nothing is read at open', () => {
    const bin: Bin = openBin('/nonexistent/D20130526T095207_IFCB013.adc');
    assert.equal(bin.hasRoiFile(), false);
    assert.equal(codeOf(() => bin.adc), 'FILE_MISSING');
    assert.equal(codeOf(() => bin.headers), 'FILE_MISSING');
    assert.equal(codeOf(() => bin.metrics), 'FILE_MISSING');
  });
});
