/** The per-bin parse (worker side): QC flags at their boundaries, stamps of what was read, error codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE } from '../../helpers/data.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { formatBinId } from '../../../shared/ifcb/bin-id.ts';
import { migrate } from '../../../main/index/database.ts';
import { RUN_TIME_TOLERANCE, filesRead, parseBin, storable } from '../../../main/index/parse-bin.ts';
import { qcWithFiles, upsertBins, upsertRoot, type ParsedBin } from '../../../main/index/store.ts';
import { getBin, qcFlags } from '../../../main/index/queries.ts';

test('run-time mismatch flag: header runTime within 2 % of the computed one passes, beyond it is flagged', (t) => {
  const dir = tempDirFor(t);
  const epochMs = Date.UTC(2024, 5, 1);
  const probe = writeSyntheticBin(dir, { epochMs, targets: 40, seed: 3 });
  const computed = openBin(probe.base).metrics.runTime;
  assert.ok(computed > 1);
  const flagsWith = (factor: number, sub: string): string[] => {
    const d = path.join(dir, sub);
    mkdirSync(d);
    const b = writeSyntheticBin(d, { epochMs, targets: 40, seed: 3, header: { runTime: computed * factor } });
    return qcFlags(parseBin(b.base).qc);
  };
  assert.equal(RUN_TIME_TOLERANCE, 0.02);
  assert.deepEqual(flagsWith(1, 'same'), []);
  assert.deepEqual(flagsWith(1.019, 'under'), []);
  assert.deepEqual(flagsWith(0.981, 'under-low'), []);
  assert.deepEqual(flagsWith(1.021, 'over'), ['runTimeMismatch']);
  assert.deepEqual(flagsWith(0.979, 'over-low'), ['runTimeMismatch']);
});

test('partial: a .roi shorter than the ADC needs is flagged; exactly as long (or longer) is complete', () => {
  const parsed = { qc: 0, roiExpectedBytes: 1000 };
  assert.deepEqual(qcFlags(qcWithFiles(parsed, { roi: null })), ['noRoi', 'partial']);
  assert.deepEqual(qcFlags(qcWithFiles(parsed, { roi: { size: 999, mtimeMs: 1 } })), ['partial']);
  assert.deepEqual(qcFlags(qcWithFiles(parsed, { roi: { size: 1000, mtimeMs: 1 } })), []);
  assert.deepEqual(qcFlags(qcWithFiles(parsed, { roi: { size: 1001, mtimeMs: 1 } })), []);
  // Unknown expectation (unreadable ADC): only the missing file can be judged.
  assert.deepEqual(qcFlags(qcWithFiles({ qc: 16, roiExpectedBytes: null }, { roi: { size: 0, mtimeMs: 1 } })), ['unreadable']);
});

test('parseBin reads .hdr and .adc once each, stamps exactly what it read, and never opens the .roi', () => {
  const before = { ...filesRead };
  const p = parseBin(SAMPLE.C);
  assert.deepEqual({ adc: filesRead.adc - before.adc, hdr: filesRead.hdr - before.hdr }, { adc: 1, hdr: 1 });
  const st = (ext: string) => {
    const s = statSync(`${SAMPLE.C}.${ext}`);
    return { size: s.size, mtimeMs: s.mtimeMs };
  };
  assert.deepEqual(p.files, { adc: st('adc'), hdr: st('hdr'), roi: st('roi') });
  assert.deepEqual([p.images, p.adcRows, p.triggers, p.roiExpectedBytes, p.headerKeys, p.qc, p.errorCode], [2, 3, 3, 30848, 117, 0, null]);
  assert.deepEqual(parseBin(SAMPLE.D).files.roi, null);
});

test('unreadable bins keep their identity and get the reader error code: a .adc that is a folder, missing files', (t) => {
  const dir = tempDirFor(t);
  const base = path.join(dir, 'D20240101T000000_IFCB001');
  mkdirSync(`${base}.adc`);
  writeFileSync(`${base}.hdr`, 'SoftwareVersion: 2.0.0.0\ntemperature: 12.5\n');
  const p = parseBin(base);
  assert.deepEqual([p.id, p.instrument, p.epochMs, p.errorCode, qcFlags(p.qc)], ['D20240101T000000_IFCB001', 1, Date.UTC(2024, 0, 1), 'FILE_UNREADABLE', ['unreadable']]);
  assert.match(p.errorMessage!, /directory/);
  const missing = parseBin(path.join(dir, 'D20240102T000000_IFCB001'));
  assert.deepEqual([missing.errorCode, missing.files], ['FILE_MISSING', { adc: null, hdr: null, roi: null }]);
});

test('storable: whatever numbers a damaged bin yields, the row is written (bad values dropped, bin unreadable with a code)', () => {
  const db = new BetterSqlite3(':memory:');
  migrate(db);
  const rootId = upsertRoot(db, '/r', []);
  const stamp = { size: 1, mtimeMs: 1 };
  const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e300, 4294967297 * 65535, -0, 2 ** 53, 2.5, NaN, Infinity, -Infinity));
  const field = fc.option(anyNumber, { nil: null });
  let key = 0;
  fc.assert(
    fc.property(
      fc.record({ adcRows: field, triggers: field, images: field, headerKeys: field, roiExpectedBytes: field, runTime: field, inhibitTime: field, lookTime: field, mlAnalyzed: field, headerRunTime: field, headerInhibitTime: field, temperature: field, humidity: field }),
      (values) => {
        const epochMs = Date.UTC(2024, 0, 1) + 1000 * key++;
        const parsed: ParsedBin = {
          id: formatBinId(2, 12, epochMs), schema: 2, instrument: 12, epochMs, ...values, headerValues: {}, qc: 0, errorCode: null, errorMessage: null,
          files: { adc: stamp, hdr: stamp, roi: stamp },
        };
        const safe = storable(parsed);
        const storableValue = (f: keyof typeof values): boolean => {
          const v = values[f];
          const integer = ['adcRows', 'triggers', 'images', 'headerKeys', 'roiExpectedBytes'].includes(f);
          return v === null || (integer ? Number.isSafeInteger(v) : Number.isFinite(v));
        };
        const allGood = (Object.keys(values) as (keyof typeof values)[]).every(storableValue);
        assert.equal(safe === parsed, allGood);
        upsertBins(db, [{ rootId, found: { folder: '', id: parsed.id, adc: stamp, hdr: stamp, roi: stamp }, parsed: safe }]);
        const row = getBin(db, parsed.id)!;
        assert.equal(row.qc.includes('unreadable'), !allGood);
        if (!allGood) assert.ok(['ADC_MALFORMED_ROW', 'ROI_INVALID_GEOMETRY', 'HEADER_UNREADABLE'].includes(row.errorCode!), String(row.errorCode));
        for (const f of Object.keys(values) as (keyof typeof values)[]) {
          const stored = f === 'images' ? row.images : row[f];
          assert.equal(stored, storableValue(f) ? (Object.is(values[f], -0) ? 0 : values[f]) : null, f);
        }
      },
    ),
    { numRuns: 300 },
  );
  db.close();
});
