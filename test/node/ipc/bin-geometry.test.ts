/** `bins:geometry`: the binary layout payload (exact layout, round trips, refusal of bad bytes) and its handler on real bins. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeBinGeometry, encodeBinGeometry, isGeometryError } from '../../../shared/ipc/bin-geometry.ts';
import type { BinGeometry, BinGeometryEntry } from '../../../shared/ipc/bin-geometry.ts';
import type { BinMetadata, BinSummary } from '../../../shared/ipc/contract.ts';
import { isIfcbError } from '../../../shared/errors.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { makeRouter } from './fixtures.ts';

const SUMMARY: BinSummary = {
  id: 'D20220522T003051_IFCB134', schema: 2, instrument: 134, timestamp: '2022-05-22T00:30:51Z', epochMs: Date.UTC(2022, 4, 22, 0, 30, 51),
  adcRows: 3, triggers: 3, imageCount: 2, hasRoiFile: true, runTime: 1, inhibitTime: 0, lookTime: 1, mlAnalyzed: 0.5, triggerRate: 3, displayName: 'data/D20220522T003051_IFCB134',
};

function geometry(target: number[], width: number[], height: number[], columns: Record<string, number[]> = {}): BinGeometry {
  return {
    bin: SUMMARY, adcColumns: ['PMTA', 'PMTB'], target: Uint32Array.from(target), width: Uint32Array.from(width), height: Uint32Array.from(height),
    columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)])),
  };
}

const plain = (entries: BinGeometryEntry[]) =>
  entries.map((e) => (isGeometryError(e) ? e : { ...e, target: [...e.target], width: [...e.width], height: [...e.height], columns: Object.entries(e.columns).map(([k, v]) => [k, [...v]]) }));

describe('bin geometry payload', () => {
  it('has the documented layout: header, 16-byte record, padded JSON, uint32 arrays, float64 columns', () => {
    const bytes = encodeBinGeometry([geometry([2, 5], [10, 20], [30, 40], { PMTA: [0.5, NaN] })]);
    const view = new DataView(bytes.buffer);
    assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'IFGM');
    assert.deepEqual([4, 8, 12].map((o) => view.getUint32(o, true)), [1, 1, 0]);
    const json = view.getUint32(16, true);
    assert.deepEqual([20, 24].map((o) => view.getUint32(o, true)), [2, 1]);
    const head = JSON.parse(new TextDecoder().decode(bytes.subarray(32, 32 + json))) as { columns: string[]; adcColumns: string[] };
    assert.deepEqual(head.columns, ['PMTA']);
    assert.deepEqual(head.adcColumns, ['PMTA', 'PMTB']);
    const arrays = 32 + ((json + 7) & ~7);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => view.getUint32(arrays + 4 * k, true)), [2, 5, 10, 20, 30, 40]);
    assert.equal(view.getFloat64(arrays + 24, true), 0.5);
    assert.ok(Number.isNaN(view.getFloat64(arrays + 32, true)));
    assert.equal(bytes.byteLength, arrays + 24 + 16);
  });

  it('round-trips any list of bins and errors, also from an unaligned copy', () => {
    const entry: fc.Arbitrary<BinGeometryEntry> = fc.oneof(
      fc.record({ code: fc.constantFrom('ROI_TRUNCATED', 'FILE_MISSING'), message: fc.string() }).map(({ code, message }) => ({ binId: SUMMARY.id, error: { code, message } })),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.double()), { maxLength: 40 }).map((rows) =>
        geometry(rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), { ROI_X: rows.map((r) => r[3]) }),
      ),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        const bytes = encodeBinGeometry(entries);
        assert.deepEqual(plain(decodeBinGeometry(bytes)), plain(entries));
        const shifted = new Uint8Array(bytes.byteLength + 3);
        shifted.set(bytes, 3);
        assert.deepEqual(plain(decodeBinGeometry(shifted.subarray(3))), plain(entries));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a payload that is cut short, has a bad magic or bytes after its last bin, with INTERNAL', () => {
    const bytes = encodeBinGeometry([geometry([1], [2], [3])]);
    const bad = [bytes.subarray(0, 10), bytes.subarray(0, bytes.byteLength - 4), Uint8Array.from([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]), Uint8Array.from(bytes, (b, i) => (i === 0 ? 0 : b))];
    for (const b of bad) assert.throws(() => decodeBinGeometry(b), (e) => isIfcbError(e, 'INTERNAL'));
  });
});

describe('bins:geometry', () => {
  it('gives exactly the metadata geometry and the asked ADC columns of a real bin, and an unknown bin its error code', async () => {
    const { router } = makeRouter({ roots: [SAMPLE.C.replace(/\/[^/]+$/, '')] });
    const opened = await router.dispatch('bin:open-path', { path: `${SAMPLE.C}.adc` });
    assert.ok(opened.ok);
    const meta = await router.dispatch('bin:metadata', { binId: 'D20220522T003051_IFCB134' });
    assert.ok(meta.ok);
    const m = meta.value as BinMetadata;
    const column = m.rois.adcColumns[6]!;
    const r = await router.dispatch('bins:geometry', { binIds: ['D20220522T003051_IFCB134', 'D20240101T000000_IFCB001'], columns: [column, 'NoSuchColumn'] });
    assert.ok(r.ok, JSON.stringify(r));
    const bytes = r.value as Uint8Array;
    const [g, missing] = decodeBinGeometry(bytes);
    assert.ok(g && !isGeometryError(g));
    assert.deepEqual(g.bin, m.bin);
    assert.deepEqual(g.adcColumns, m.rois.adcColumns);
    assert.deepEqual([...g.target], m.rois.target);
    assert.deepEqual([...g.width], m.rois.width);
    assert.deepEqual([...g.height], m.rois.height);
    assert.deepEqual(Object.keys(g.columns), [column]);
    assert.deepEqual([...g.columns[column]!], m.rois.adc[column]);
    assert.ok(missing && isGeometryError(missing));
    assert.equal(missing.error.code, 'BIN_NOT_FOUND');
    // the point of it: far smaller than the JSON metadata
    assert.ok(bytes.byteLength * 4 < JSON.stringify(m).length, `${bytes.byteLength} vs ${JSON.stringify(m).length}`);
  });

  it('refuses more than 64 bins or a column name that is not one, before reading anything', async () => {
    const { router, opened } = makeRouter();
    const many = await router.dispatch('bins:geometry', { binIds: Array.from({ length: 65 }, () => 'D20220522T003051_IFCB134') });
    assert.equal(!many.ok && many.error.code, 'INVALID_ARGUMENT');
    const name = await router.dispatch('bins:geometry', { binIds: ['D20220522T003051_IFCB134'], columns: ['__proto__'] });
    assert.equal(!name.ok && name.error.code, 'INVALID_ARGUMENT');
    assert.deepEqual(opened, []);
  });
});
