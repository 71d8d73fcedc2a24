/**
 * `.adc` parsing (spec §3): the real sample files, exact values, line endings, empty files and malformed
 * rows with their exact line numbers.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SAMPLE } from '../../helpers/data.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { ADC_MAX_BYTES, SCHEMA_1_COLUMNS, SCHEMA_2_COLUMNS, parseAdc, roiColumnIndex } from '../../../main/ifcb/adc.ts';
import type { AdcTable, Schema } from '../../../main/ifcb/types.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function readAdc(base: string, schema: Schema): AdcTable {
  return parseAdc(readFileSync(`${base}.adc`), schema, `${base}.adc`);
}

/** The image targets (ROI_WIDTH != 0), pyifcb's image index. */
function imageTargets(adc: AdcTable): number[] {
  const w = adc.column(roiColumnIndex(adc.schema).width);
  const out: number[] = [];
  for (let i = 0; i < adc.rowCount; i++) if (w[i] !== 0) out.push(i + 1);
  return out;
}

/** Reference parse: every cell through Number() on split text (the semantics the fast parser must match bit for bit). */
function referenceRows(text: string, schema: Schema): number[][] {
  return text
    .split(/\r\n|\r|\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cells = l.split(',');
      if (schema === 1 && cells[cells.length - 1] === '') cells.pop();
      return cells.map((c) => Number(c));
    });
}

function malformedAt(fn: () => unknown, line: number, path: string, fragment?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof IfcbError, `expected IfcbError, got ${String(e)}`);
    assert.equal(e.code, 'ADC_MALFORMED_ROW');
    assert.deepEqual(e.details, { path, line });
    assert.ok(e.message.includes(path) && e.message.includes(`line ${line}`), e.message);
    if (fragment) assert.match(e.message, fragment);
    return true;
  });
}

describe('column names and ROI columns', () => {
  test("pyifcb's names: 15 for schema 1, 24 for schema 2", () => {
    assert.equal(SCHEMA_1_COLUMNS.length, 15);
    assert.equal(SCHEMA_2_COLUMNS.length, 24);
    assert.deepEqual(
      [9, 10, 11, 12, 13].map((i) => SCHEMA_1_COLUMNS[i]),
      ['ROI_X', 'ROI_Y', 'ROI_WIDTH', 'ROI_HEIGHT', 'START_BYTE'],
    );
    assert.deepEqual(
      [1, 13, 14, 15, 16, 17, 22, 23].map((i) => SCHEMA_2_COLUMNS[i]),
      ['ADC_TIME', 'ROI_X', 'ROI_Y', 'ROI_WIDTH', 'ROI_HEIGHT', 'START_BYTE', 'RUN_TIME', 'INHIBIT_TIME'],
    );
    assert.deepEqual(roiColumnIndex(1), { trigger: 0, x: 9, y: 10, width: 11, height: 12, startByte: 13 });
    assert.deepEqual(roiColumnIndex(2), { trigger: 0, x: 13, y: 14, width: 15, height: 16, startByte: 17 });
  });
});

describe('real sample ADC files (spec §11)', () => {
  const cases = [
    ['A', 1, 7, 15, 6, [1, 2, 3, 4, 5, 6]],
    ['B', 2, 118, 24, 118, [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114]],
    ['C', 2, 3, 24, 3, [2, 3]],
    ['D', 2, 45, 24, 41, [2, 3, 4, 5, 10, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 32, 33, 35, 36, 37, 38, 39, 42, 43, 44, 45]],
    ['E', 1, 7, 15, 6, [1, 2, 3, 4, 5, 6]],
  ] as const;
  for (const [bin, schema, rows, cols, triggers, images] of cases) {
    test(`${bin}: ${rows} rows × ${cols} columns, ${triggers} triggers, image targets`, () => {
      const adc = readAdc(SAMPLE[bin], schema);
      assert.equal(adc.schema, schema);
      assert.equal(adc.rowCount, rows);
      assert.equal(adc.columnNames.length, cols);
      assert.deepEqual(adc.columnNames, schema === 1 ? SCHEMA_1_COLUMNS : SCHEMA_2_COLUMNS);
      assert.equal(adc.triggers, triggers);
      assert.deepEqual(imageTargets(adc), images);
      for (let c = 0; c < cols; c++) assert.equal(adc.column(c).length, rows);
    });

    test(`${bin}: every cell bit-identical to Number(text)`, () => {
      const adc = readAdc(SAMPLE[bin], schema);
      const ref = referenceRows(readFileSync(`${SAMPLE[bin]}.adc`, 'latin1'), schema);
      assert.equal(ref.length, rows);
      for (let r = 0; r < rows; r++) {
        const row = adc.row(r + 1);
        assert.equal(row.length, ref[r]!.length);
        for (let c = 0; c < row.length; c++) assert.ok(Object.is(row[c], ref[r]![c]), `row ${r + 1} col ${c}: ${row[c]} vs ${ref[r]![c]}`);
      }
    });
  }

  test('first three images: height × width from ROI_HEIGHT / ROI_WIDTH (spec §11)', () => {
    const sizes = (bin: 'A' | 'B' | 'C', schema: Schema, targets: number[]) => {
      const adc = readAdc(SAMPLE[bin], schema);
      const ix = roiColumnIndex(schema);
      return targets.map((t) => `${t}: ${adc.row(t)[ix.height]}×${adc.row(t)[ix.width]}`);
    };
    assert.deepEqual(sizes('A', 1, [1, 2, 3]), ['1: 45×96', '2: 137×238', '3: 86×180']);
    assert.deepEqual(sizes('B', 2, [7, 11, 13]), ['7: 34×88', '11: 66×104', '13: 34×72']);
    assert.deepEqual(sizes('C', 2, [2, 3]), ['2: 82×176', '3: 114×144']);
    assert.deepEqual(sizes('B', 2, [99]), ['99: 34×64']); // §4's worked example
  });

  test('A: exact rows, the trailing comma dropped, -11/-11/0/0 row without image', () => {
    const adc = readAdc(SAMPLE.A, 1);
    assert.deepEqual(adc.row(1), [
      1, 0.3105469, 0.06072998046875, -0.61004638671875, -0.1776123046875, -3.6199951171875, -0.29541015625, 0, 0.2597656, 202, 673, 96, 45, 1,
      -0.27557373046875,
    ]);
    assert.deepEqual(adc.row(7).slice(9, 14), [-11, -11, 0, 0, 71082]);
    assert.deepEqual([...adc.column('TRIGGER')], [1, 2, 3, 3, 4, 5, 6]);
    assert.deepEqual([...adc.column('START_BYTE')], [1, 4321, 36927, 52407, 57492, 62217, 71082]);
  });

  test('B, C, D: spot values (schema 2, 17-digit cells, repeated triggers)', () => {
    const b = readAdc(SAMPLE.B, 2);
    assert.deepEqual(b.row(1).slice(0, 3), [1, 0.047, 0.80304]);
    assert.equal(b.column('PEAK_D')[0], 0.01085);
    assert.equal(b.column('TIME_OF_FLIGHT')[0], -999);
    assert.equal(b.column('INHIBIT_TIME')[0], 0.000807);
    const c = readAdc(SAMPLE.C, 2);
    assert.equal(c.column('ADC_TIME')[0], 0.050664299999999995);
    assert.deepEqual(c.row(3).slice(13, 18), [828, 847, 144, 114, 14432]);
    assert.equal(c.column('INHIBIT_TIME')[2], 0.15215060763888888);
    const d = readAdc(SAMPLE.D, 2);
    const t = d.column('TRIGGER');
    const repeated = [...t].filter((v, i) => i > 0 && t[i - 1] === v);
    assert.deepEqual(repeated, [24, 24, 33, 40]); // trigger 24 has three rows
  });

  test('§8: zero-byte .adc files give 0 rows with the schema columns', () => {
    for (const [bin, schema, cols] of [
      ['emptyV1', 1, 15],
      ['emptyV2', 2, 24],
      ['invalid', 2, 24],
      ['skip', 1, 15],
    ] as const) {
      const adc = readAdc(SAMPLE[bin], schema);
      assert.equal(adc.rowCount, 0);
      assert.equal(adc.triggers, 0);
      assert.equal(adc.columnNames.length, cols);
      assert.equal(adc.column(0).length, 0);
    }
  });
});

describe('layout', () => {
  const rowV1 = (t: number) => `${t},1,2,3,4,5,6,7,8,10,20,30,40,${t * 100},0,`;
  test('LF, CRLF and lone CR; blank and whitespace-only lines skipped; BOM skipped', () => {
    const lines = [rowV1(1), rowV1(2), rowV1(3)];
    for (const text of [lines.join('\n'), lines.join('\r\n') + '\r\n', lines.join('\r'), `\n${lines[0]}\n\n  \t\n${lines[1]}\r\n\r\n${lines[2]}\n\n\n`, `\ufeff${lines.join('\n')}`]) {
      const adc = parseAdc(enc(text), 1, 'x.adc');
      assert.equal(adc.rowCount, 3);
      assert.equal(adc.columnNames.length, 15);
      assert.deepEqual([...adc.column('START_BYTE')], [100, 200, 300]);
      assert.equal(adc.triggers, 3);
    }
  });

  test('spaces around cells, +signs, exponents, pandas NA strings and inf outside the ROI columns', () => {
    const cells = [' 7 ', '+1.5', '-2E-3', '1e400', 'NaN', '', '-inf', 'Infinity', 'N/A', '3', '4', '5', '6', '7', 'null'];
    const adc = parseAdc(enc(cells.join(',')), 1);
    const row = adc.row(1);
    assert.deepEqual(row.slice(0, 4), [7, 1.5, -0.002, Infinity]);
    assert.ok(Number.isNaN(row[4]) && Number.isNaN(row[5]) && Number.isNaN(row[8]) && Number.isNaN(row[14]));
    assert.deepEqual([row[6], row[7]], [-Infinity, Infinity]);
    assert.ok(Object.is(parseAdc(enc('-0,0,0,0,0,0,0,0,0,0,0,0,0,0,-0.0'), 1).row(1)[14], -0));
  });

  test('short rows are NaN-padded (pandas); the table is as wide as its widest row', () => {
    const v2 = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(',');
    const adc = parseAdc(enc(`${v2(24)}\n${v2(18)}\n`), 2);
    assert.equal(adc.columnNames.length, 24);
    assert.equal(adc.column('RUN_TIME')[0], 23);
    assert.ok(Number.isNaN(adc.column('RUN_TIME')[1]));
    const narrow = parseAdc(enc(`${v2(18)}\n${v2(20)}\n`), 2);
    assert.equal(narrow.columnNames.length, 20);
    assert.equal(narrow.columnNames[19], 'START_POINT');
    // A schema-2 trailing comma is dropped like schema 1's.
    assert.equal(parseAdc(enc(`${v2(24)},\n`), 2).columnNames.length, 24);
  });

  test('column() and row() reject what is not there', () => {
    const adc = readAdc(SAMPLE.A, 1);
    for (const bad of [() => adc.column(15), () => adc.column('RUN_TIME'), () => adc.row(0), () => adc.row(8), () => adc.row(1.5)]) {
      assert.throws(bad, (e: unknown) => e instanceof IfcbError && e.code === 'INVALID_ARGUMENT' && e.message.includes('IFCB5_2012_028_081515.adc'));
    }
  });
});

describe('malformed rows', () => {
  const good = '1,1,2,3,4,5,6,7,8,10,20,30,40,100,0,';
  test('a non-number cell, with its 1-based line (blank lines and CRLF counted)', () => {
    malformedAt(() => parseAdc(enc(`${good}\n${good}\n1,1,2,abc,4,5,6,7,8,10,20,30,40,100,0,\n`), 1, 'f.adc'), 3, 'f.adc', /column 4 \("abc"\)/);
    malformedAt(() => parseAdc(enc(`${good}\r\n\r\n  \r\n1,1,2,3,4,5,6,7,8,10,20,30,40,1.2.3,0,\r\n`), 1, 'g.adc'), 4, 'g.adc');
    malformedAt(() => parseAdc(enc(`${good}\r${good}\r1,x`), 1, 'h.adc'), 3, 'h.adc');
    malformedAt(() => parseAdc(enc('1,2,3,4,5,6,7,8,9,10,11,12,13,14,0x10'), 1, 'i.adc'), 1, 'i.adc');
    malformedAt(() => parseAdc(enc('"1",2,3,4,5,6,7,8,9,10,11,12,13,14,15'), 1, 'j.adc'), 1, 'j.adc');
  });

  test('too few columns to locate the image', () => {
    malformedAt(() => parseAdc(enc(`${good}\n1,2,3,4,5,6,7,8,9,10,11,12,13\n`), 1, 'k.adc'), 2, 'k.adc', /only 13 columns/);
    malformedAt(() => parseAdc(enc('1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17'), 2, 'l.adc'), 1, 'l.adc', /at least 18/);
  });

  test('more columns than the schema (the schema comes from the bin id, not the column count)', () => {
    const v2 = readFileSync(`${SAMPLE.B}.adc`);
    malformedAt(() => parseAdc(v2, 1, 'B-as-v1.adc'), 1, 'B-as-v1.adc', /more than the 15 columns/);
    malformedAt(() => parseAdc(enc(`${good}5\n`), 1, 'm.adc'), 1, 'm.adc');
  });

  test('an empty or NA cell in a ROI column (trigger, x, y, width, height, start byte)', () => {
    malformedAt(() => parseAdc(enc('1,1,2,3,4,5,6,7,8,10,,30,40,100,0,'), 1, 'n.adc'), 1, 'n.adc', /ROI_Y/);
    malformedAt(() => parseAdc(enc(`${good}\nNaN,1,2,3,4,5,6,7,8,10,20,30,40,100,0,`), 1, 'o.adc'), 2, 'o.adc', /TRIGGER/);
  });

  test('no path: the message says "ADC data"; an absurdly long cell is rejected', () => {
    assert.throws(() => parseAdc(enc('x'), 2), (e: unknown) => e instanceof IfcbError && e.message.startsWith('ADC data, line 1'));
    malformedAt(() => parseAdc(enc(`1${'0'.repeat(5000)}x,2`), 2, 'p.adc'), 1, 'p.adc');
  });

  test(`more than ${ADC_MAX_BYTES} bytes is ADC_TOO_LARGE`, () => {
    const huge = new Uint8Array(new ArrayBuffer(ADC_MAX_BYTES + 1)); // zero pages: not actually committed
    assert.throws(
      () => parseAdc(huge, 2, '/data/D20130526T095207_IFCB013.adc'),
      (e: unknown) => e instanceof IfcbError && e.code === 'ADC_TOO_LARGE' && e.message.includes('/data/D20130526T095207_IFCB013.adc'),
    );
  });
});
