/** Text formatting of the export tables: Python float repr, json.dumps, pandas-style ADC CSV, EcoTaxa dates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { csvField, ecotaxaDateTime, formatFixed, pythonFloatRepr, pythonIsoUtc, pythonJsonDumps } from '../../../main/export/format.ts';
import { pandasAdcCsv } from '../../../main/export/pyifcb.ts';
import { ecotaxaFileName } from '../../../main/export/tables.ts';

test('pythonFloatRepr matches CPython repr() on the usual and the edge cases', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'], [1e-5, '1e-05'], [1.5e-5, '1.5e-05'], [0.0001, '0.0001'], [0.00012, '0.00012'],
    [1e16, '1e+16'], [1.2345678901234568e17, '1.2345678901234568e+17'], [1234567890123456, '1234567890123456.0'],
    [-999, '-999.0'], [0.08984375, '0.08984375'], [2.5, '2.5'], [100, '100.0'], [1e22, '1e+22'], [5e-324, '5e-324'],
    [0.3105469, '0.3105469'], [-0.0, '-0.0'], [0, '0.0'], [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'],
    [45.937201699999996, '45.937201699999996'], [1.7976931348623157e308, '1.7976931348623157e+308'], [123e-20, '1.23e-18'],
  ];
  for (const [x, want] of cases) assert.equal(pythonFloatRepr(x), want, String(x));
});

test('pythonFloatRepr round-trips every double (property)', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      const r = pythonFloatRepr(x);
      assert.ok(Object.is(Number(r), x), `${x} → ${r}`);
      assert.match(r, /^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/);
    }),
    { numRuns: 2000 },
  );
});

test('pythonJsonDumps: separators, key order, escapes, numbers', () => {
  assert.equal(pythonJsonDumps({ a: 1, b: [1.5, 'x', null, true], c: { d: 'é\n' } }), '{"a": 1, "b": [1.5, "x", null, true], "c": {"d": "\\u00e9\\n"}}');
  assert.equal(pythonJsonDumps(1e-7), '1e-07');
  assert.equal(pythonJsonDumps(NaN), 'NaN');
});

test('pandasAdcCsv: int vs float columns, trailing schema-1 comma dropped, blank lines skipped', () => {
  const s1 = '1,.3105469,0,202,-.27557373046875,\r\n2,.4296875,.3105469,252,-1.22467041015625,\r\n\r\n';
  assert.equal(pandasAdcCsv(s1, 1), '1,0.3105469,0.0,202,-0.27557373046875\n2,0.4296875,0.3105469,252,-1.22467041015625\n');
  const s2 = '1,0.047000,-999.00000,0,12\n2,12.610000,-999.00000,0,007\n';
  assert.equal(pandasAdcCsv(s2, 2), '1,0.047,-999.0,0,12\n2,12.61,-999.0,0,7\n');
  assert.equal(pandasAdcCsv('', 2), '');
});

test('small helpers: CSV quoting, fixed decimals, EcoTaxa date/time, Python isoformat, TSV names', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "x"'), '"say ""x"""');
  assert.equal(csvField('plain'), 'plain');
  assert.equal(formatFixed(96 / 3.4, 2), '28.24');
  assert.equal(formatFixed(34 / 3.4, 2), '10');
  assert.equal(formatFixed(NaN, 2), '');
  assert.deepEqual(ecotaxaDateTime(Date.UTC(2013, 4, 26, 9, 52, 7)), { date: '20130526', time: '095207' });
  assert.equal(pythonIsoUtc(Date.UTC(2012, 0, 28, 8, 15, 15)), '2012-01-28T08:15:15+00:00');
  assert.equal(ecotaxaFileName('cruise 42.zip'), 'ecotaxa_cruise_42.tsv');
  assert.equal(ecotaxaFileName('.zip'), 'ecotaxa_export.tsv');
});
