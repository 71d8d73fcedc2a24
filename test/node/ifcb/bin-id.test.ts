import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatBinId, isBinId, parseBinName, roiFileName, tryParseBinName } from '../../../shared/ifcb/bin-id.ts';
import { IfcbError } from '../../../shared/errors.ts';

test('parses both schemas to UTC timestamps and instrument numbers (spec §1, §11)', () => {
  assert.deepEqual(parseBinName('IFCB5_2012_028_081515'), {
    id: 'IFCB5_2012_028_081515', schema: 1, instrument: 5, timestamp: '2012-01-28T08:15:15Z', epochMs: Date.UTC(2012, 0, 28, 8, 15, 15),
  });
  assert.deepEqual(parseBinName('D20130526T095207_IFCB013'), {
    id: 'D20130526T095207_IFCB013', schema: 2, instrument: 13, timestamp: '2013-05-26T09:52:07Z', epochMs: Date.UTC(2013, 4, 26, 9, 52, 7),
  });
  const expected: [string, number, string, 1 | 2][] = [
    ['D20150411T205456_IFCB012', 12, '2015-04-11T20:54:56Z', 2],
    ['IFCB5_2017_001_033645', 5, '2017-01-01T03:36:45Z', 1],
    ['D20130101T101010_IFCB099', 99, '2013-01-01T10:10:10Z', 2],
    ['IFCB5_2006_001_121212', 5, '2006-01-01T12:12:12Z', 1],
    ['D20220522T003051_IFCB134', 134, '2022-05-22T00:30:51Z', 2],
    ['D20230810T113059_IFCB134', 134, '2023-08-10T11:30:59Z', 2],
  ];
  for (const [id, instrument, timestamp, schema] of expected) {
    const p = parseBinName(`${id}.adc`);
    assert.equal(p.id, id);
    assert.equal(p.instrument, instrument);
    assert.equal(p.timestamp, timestamp);
    assert.equal(p.schema, schema);
    assert.equal(p.extension, 'adc');
  }
});

test('strips directories, URLs and Windows prefixes and reads target, product and extension', () => {
  const p = parseBinName('/data/x/D20130526T095207_IFCB013_00002.png');
  assert.equal(p.id, 'D20130526T095207_IFCB013');
  assert.equal(p.target, 2);
  assert.equal(p.extension, 'png');
  assert.equal(p.product, undefined);
  const q = parseBinName('http://host/dash/D20130526T095207_IFCB013_blob.zip');
  assert.equal(q.product, 'blob');
  assert.equal(q.extension, 'zip');
  assert.equal(q.target, undefined);
  assert.equal(parseBinName('C:\\IFCB\\data\\IFCB5_2012_028_081515.roi').id, 'IFCB5_2012_028_081515');
  assert.equal(parseBinName('IFCB5_2012_028_081515_00003_blob.png').target, 3);
});

test('rejects invalid ids with INVALID_BIN_ID naming the file', () => {
  for (const bad of [
    'decoy.adc', 'foo.adc', 'IFCB5_2012_028.adc', 'D20131301T101010_IFCB099.adc', 'IFCB12_2012_028_081515.adc',
    'D20130526T095207_IFCB99.adc', 'D20130526T095207_IFCB0134.adc', 'IFCB5_2012_000_081515', 'IFCB5_2013_366_000000',
    'D20130230T000000_IFCB001', 'D20130526T245207_IFCB013', 'D20130526T096007_IFCB013', 'D20130526T095207_IFCB013x', '',
  ]) {
    assert.equal(tryParseBinName(bad), null, bad);
    assert.throws(() => parseBinName(`/archive/${bad}`), (e: unknown) => {
      assert.ok(e instanceof IfcbError);
      assert.equal(e.code, 'INVALID_BIN_ID');
      assert.deepEqual(e.details, { path: `/archive/${bad}` });
      assert.match(e.message, new RegExp(`"${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
      return true;
    });
  }
  // Leap years: day 366 exists in 2012 but not in 2013.
  assert.equal(parseBinName('IFCB5_2012_366_000000').timestamp, '2012-12-31T00:00:00Z');
  assert.equal(parseBinName('D20120229T000000_IFCB001').timestamp, '2012-02-29T00:00:00Z');
});

test('isBinId accepts bare ids only', () => {
  assert.equal(isBinId('D20130526T095207_IFCB013'), true);
  assert.equal(isBinId('D20130526T095207_IFCB013.adc'), false);
  assert.equal(isBinId('IFCB5_2012_028_081515_00001'), false);
});

test('formats ids like pyifcb unparse and names exported ROI files with 5-digit targets', () => {
  assert.equal(formatBinId(1, 5, Date.UTC(2012, 0, 28, 8, 15, 15)), 'IFCB5_2012_028_081515');
  assert.equal(formatBinId(2, 13, Date.UTC(2013, 4, 26, 9, 52, 7)), 'D20130526T095207_IFCB013');
  assert.equal(roiFileName('D20130526T095207_IFCB013', 2), 'D20130526T095207_IFCB013_00002.png');
  assert.equal(roiFileName('IFCB5_2012_028_081515', 123456, 'tif'), 'IFCB5_2012_028_081515_123456.tif');
  assert.throws(() => formatBinId(1, 12, 0), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => formatBinId(2, 1000, 0), { code: 'INVALID_ARGUMENT' });
});

const instant = fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), noInvalidDate: true })
  .map((d) => Math.floor(d.getTime() / 1000) * 1000);

test('property: format then parse round-trips schema, instrument and second-resolution time', () => {
  fc.assert(
    fc.property(fc.constantFrom<1 | 2>(1, 2), fc.nat(999), instant, (schema, inst, epochMs) => {
      const instrument = schema === 1 ? inst % 10 : inst;
      const id = formatBinId(schema, instrument, epochMs);
      const p = parseBinName(id);
      assert.equal(p.id, id);
      assert.equal(p.schema, schema);
      assert.equal(p.instrument, instrument);
      assert.equal(p.epochMs, epochMs);
      assert.equal(formatBinId(p.schema, p.instrument, p.epochMs), id);
    }),
    { numRuns: 5000 },
  );
});

test('property: suffixes after a valid id parse back exactly; arbitrary strings never throw from tryParseBinName', () => {
  fc.assert(
    fc.property(fc.nat(999_999), fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.stringMatching(/^[a-z]{1,4}$/), (target, product, ext) => {
      const p = parseBinName(`D20130526T095207_IFCB013_${String(target).padStart(5, '0')}_${product}.${ext}`);
      assert.equal(p.target, target);
      assert.equal(p.product, product);
      assert.equal(p.extension, ext);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 64 }), (s) => {
      const p = tryParseBinName(s);
      if (p !== null) assert.ok(isBinId(p.id));
    }),
    { numRuns: 5000 },
  );
});
