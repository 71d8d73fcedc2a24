/**
 * readBinFile: the one whole-file read of a `.hdr`/`.adc` shared by the reader, the catalogue's parser
 * and the pyifcb export (error codes, size limits, regular files only, fd closed on every path).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ADC_MAX_BYTES, HEADER_MAX_BYTES, binFileError, openBinFile, readBinFile } from '../../../main/ifcb/index.ts';
import { readAdcText } from '../../../main/export/pyifcb.ts';
import { isIfcbError, type IfcbError } from '../../../shared/errors.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { assertNoFdLeak } from '../../helpers/fd-leak.ts';
import { makeFifo } from '../../helpers/fifo.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isIfcbError(e) ? e.code : `raw ${(e as NodeJS.ErrnoException).code}`;
  }
  return 'no error';
}

/** A sparse file of `size` bytes (no disk used): enough to trip a size limit before any read. */
function sparse(file: string, size: number): void {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

test('readBinFile returns the exact bytes and reports the stat of what it read', () => {
  const stats: Stats[] = [];
  const bytes = assertNoFdLeak(() => readBinFile(`${SAMPLE.A}.adc`, 'adc', 'IFCB5_2012_028_081515', { onStat: (st) => stats.push(st) }));
  const expected = readFileSync(`${SAMPLE.A}.adc`);
  assert.deepEqual([bytes.length, Buffer.from(bytes).equals(expected), stats.length, stats[0]!.size], [expected.length, true, 1, expected.length]);
});

test('readBinFile: missing → FILE_MISSING, a folder → FILE_UNREADABLE (stat still reported), fds closed', (t) => {
  const dir = tempDirFor(t);
  mkdirSync(path.join(dir, 'x.hdr'));
  assert.equal(
    assertNoFdLeak(() => codeOf(() => readBinFile(path.join(dir, 'nope.adc'), 'adc', 'nope'))),
    'FILE_MISSING',
  );
  let seen: Stats | undefined;
  assert.equal(
    assertNoFdLeak(() => codeOf(() => readBinFile(path.join(dir, 'x.hdr'), 'hdr', 'x', { onStat: (st) => (seen = st) }))),
    'FILE_UNREADABLE',
  );
  assert.equal(seen?.isDirectory(), true);
});

test('readBinFile enforces the .hdr and .adc size limits before reading', (t) => {
  const dir = tempDirFor(t);
  sparse(path.join(dir, 'big.hdr'), HEADER_MAX_BYTES + 1);
  sparse(path.join(dir, 'big.adc'), ADC_MAX_BYTES + 1);
  assert.deepEqual(
    assertNoFdLeak(() => [codeOf(() => readBinFile(path.join(dir, 'big.hdr'), 'hdr', 'big')), codeOf(() => readBinFile(path.join(dir, 'big.adc'), 'adc', 'big'))]),
    ['HEADER_UNREADABLE', 'ADC_TOO_LARGE'],
  );
});

test('permission denied is FILE_UNREADABLE, not FILE_MISSING', () => {
  const err = binFileError(Object.assign(new Error('denied'), { code: 'EACCES' }), '/x/a.adc', 'adc', 'a');
  assert.deepEqual([err.code, err.details?.['errno'], /permission denied/.test(err.message)], ['FILE_UNREADABLE', 'EACCES', true]);
});

test('readAdcText (pyifcb export) goes through readBinFile: latin1 text, IfcbErrors only, size limit', (t) => {
  const dir = tempDirFor(t);
  mkdirSync(path.join(dir, 'folder.adc'));
  sparse(path.join(dir, 'big.adc'), ADC_MAX_BYTES + 1);
  assert.equal(readAdcText(`${SAMPLE.C}.adc`, 'D20220522T003051_IFCB134'), readFileSync(`${SAMPLE.C}.adc`, 'latin1'));
  assert.deepEqual(
    assertNoFdLeak(() => [
      codeOf(() => readAdcText(path.join(dir, 'nope.adc'), 'nope')),
      codeOf(() => readAdcText(path.join(dir, 'folder.adc'), 'folder')),
      codeOf(() => readAdcText(path.join(dir, 'big.adc'), 'big')),
    ]),
    ['FILE_MISSING', 'FILE_UNREADABLE', 'ADC_TOO_LARGE'],
  );
});

test('FIFOs and devices named as bin files are refused before they are opened (FILE_NOT_REGULAR), never waited on', (t) => {
  const dir = tempDirFor(t);
  for (const kind of ['hdr', 'adc'] as const) {
    const fifo = path.join(dir, `D20130526T095207_IFCB013.${kind}`);
    makeFifo(t, fifo);
    const started = performance.now();
    assert.equal(assertNoFdLeak(() => codeOf(() => readBinFile(fifo, kind, 'D20130526T095207_IFCB013'))), 'FILE_NOT_REGULAR', kind);
    assert.ok(performance.now() - started < 1000, 'answered at once, not after the rescuer opened the FIFO');
  }
  const roi = path.join(dir, 'D20130526T095207_IFCB013.roi');
  makeFifo(t, roi);
  assert.equal(assertNoFdLeak(() => codeOf(() => openBinFile(roi, 'roi', 'D20130526T095207_IFCB013'))), 'FILE_NOT_REGULAR');
  // a character device reads forever (/dev/zero) or blocks (a tty): refused the same way
  assert.equal(codeOf(() => readBinFile('/dev/zero', 'adc', 'x')), 'FILE_NOT_REGULAR');
  const e = (() => {
    try {
      openBinFile(roi, 'roi', 'D20130526T095207_IFCB013');
    } catch (error) {
      return error as IfcbError;
    }
  })();
  assert.deepEqual(e?.details, { path: roi, kind: 'roi', binId: 'D20130526T095207_IFCB013' });
  assert.match(e?.message ?? '', /is a FIFO \(named pipe\), not a regular file/);
});
