/** Small decisions of the library pane's parts: the Open bins list, where a file not indexed lies, which toasts go away by themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeOpenBinsEntry, withOpenBinError, withOpenBinsEntry } from '../../../renderer/components/open-bins.tsx';
import type { OpenBinsEntry } from '../../../renderer/components/open-bins.tsx';
import { autoDismissMs, INFO_TOAST_MS } from '../../../renderer/components/toast.tsx';
import { problemPath } from '../../../renderer/components/not-indexed.tsx';
import type { BinSummary, Root } from '../../../shared/ipc/contract.ts';

const summary = (id: string, imageCount: number): BinSummary => ({
  id,
  schema: 2,
  instrument: 134,
  timestamp: '2022-05-22T00:30:51Z',
  epochMs: Date.parse('2022-05-22T00:30:51Z'),
  adcRows: imageCount,
  triggers: imageCount,
  imageCount,
  hasRoiFile: true,
  runTime: null,
  inhibitTime: null,
  lookTime: null,
  mlAnalyzed: null,
  triggerRate: null,
  displayName: `data/${id}`,
});
const C = 'D20220522T003051_IFCB134';
const B = 'D20130526T095207_IFCB013';
const ok = (id: string, n: number): OpenBinsEntry => ({ kind: 'opened', bin: summary(id, n) });
const count = (e: OpenBinsEntry) => (e.kind === 'opened' ? e.bin.imageCount : null);

test('Open bins: in the order opened, each bin once; a later open updates its entry in place', () => {
  let list: OpenBinsEntry[] = [];
  list = withOpenBinsEntry(list, ok(C, 2));
  list = withOpenBinsEntry(list, ok(B, 19));
  list = withOpenBinsEntry(list, ok(C, 3));
  assert.deepEqual(list.map((e) => [e.kind === 'opened' ? e.bin.id : e.name, count(e)]), [[C, 3], [B, 19]]);
});

test('Open bins: a bin that fails when shown keeps its entry with the error; a good reopen clears it', () => {
  const error = { code: 'ADC_MALFORMED_ROW', message: 'line 1: column 1 ("this") is not a number' };
  let list = withOpenBinError([ok(C, 2), ok(B, 19)], C, error);
  assert.deepEqual(list[0], { ...ok(C, 2), error });
  assert.deepEqual(list[1], ok(B, 19));
  assert.deepEqual(withOpenBinError(list, 'D20990101T000000_IFCB001', error), list, 'a bin not listed is not added');
  list = withOpenBinsEntry(list, ok(C, 2));
  assert.deepEqual(list[0], ok(C, 2));
});

test('Open bins rows: an opened bin opens on click with its count; a file that failed to open only shows its error', () => {
  assert.deepEqual(describeOpenBinsEntry(ok(C, 2)), { name: C, binId: C, meta: '2 img', tooltip: `data/${C}\n2022-05-22 00:30:51 UTC`, error: null });
  const error = { code: 'FILE_MISSING', message: 'The .roi file is missing' };
  assert.deepEqual(describeOpenBinsEntry({ ...ok(C, 2), error }), { name: C, binId: C, meta: null, tooltip: `data/${C}\n2022-05-22 00:30:51 UTC`, error });
  assert.deepEqual(describeOpenBinsEntry({ kind: 'failed', name: 'D20240101T000000_IFCB001.adc', error }), {
    name: 'D20240101T000000_IFCB001.adc',
    binId: null,
    meta: null,
    tooltip: 'D20240101T000000_IFCB001.adc',
    error,
  });
});

test('news toasts go away after a few seconds; errors stay until dismissed', () => {
  assert.equal(autoDismissMs({ tone: 'info', text: '300 bins found' }), INFO_TOAST_MS);
  assert.equal(INFO_TOAST_MS, 6000);
  assert.equal(autoDismissMs({ tone: 'error', text: 'folder cannot be read', code: 'FILE_UNREADABLE' }), null);
});

test('not indexed: a path relative to its folder; with several folders, prefixed by the folder it lies in', () => {
  const root = (id: number, p: string): Root => ({ id, path: p, binCount: 0, state: 'complete', indexedAt: 0, problemCount: 1 });
  const problem = (rootId: number, p: string) => ({ rootId, path: p, code: 'FILE_MISSING', message: 'incomplete fileset', kind: 'skipped' as const });
  const one = [root(1, '/data/ifcb/2024')];
  assert.equal(problemPath(problem(1, 'x/D20240504T000000_IFCB007.adc'), one), 'x/D20240504T000000_IFCB007.adc');
  assert.equal(problemPath(problem(1, '.'), one), '(the folder itself)');
  const two = [...one, root(2, 'C:\\ifcb\\mvco\\')];
  assert.equal(problemPath(problem(1, 'notabin.adc'), two), '2024/notabin.adc');
  assert.equal(problemPath(problem(2, 'a/b.adc'), two), 'mvco/a/b.adc');
  assert.equal(problemPath(problem(2, '.'), two), 'mvco');
});
