/** Small decisions of the library pane's parts: the Open bins list and which toasts go away by themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withOpenedBin } from '../../../renderer/components/open-bins.tsx';
import type { OpenedBinEntry } from '../../../renderer/components/open-bins.tsx';
import { autoDismissMs, INFO_TOAST_MS } from '../../../renderer/components/toast.tsx';
import type { BinSummary } from '../../../shared/ipc/contract.ts';

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
const ok = (id: string, n: number): OpenedBinEntry => ({ name: id, binId: id, summary: summary(id, n), error: null });

test('Open bins: in the order opened, each bin once; a later open updates its entry in place', () => {
  let list: OpenedBinEntry[] = [];
  list = withOpenedBin(list, ok(C, 2));
  list = withOpenedBin(list, ok(B, 19));
  list = withOpenedBin(list, ok(C, 3));
  assert.deepEqual(list.map((e) => [e.name, e.summary?.imageCount]), [[C, 3], [B, 19]]);
});

test('Open bins: a failure keeps what was known of the bin and shows the error; a good reopen clears it', () => {
  const error = { code: 'ADC_MALFORMED_ROW' as const, message: 'line 1: column 1 ("this") is not a number' };
  let list = withOpenedBin([ok(C, 2)], { name: C, binId: C, summary: null, error });
  assert.deepEqual(list[0], { name: C, binId: C, summary: summary(C, 2), error });
  list = withOpenedBin(list, ok(C, 2));
  assert.equal(list[0]!.error, null);
});

test('news toasts go away after a few seconds; errors stay until dismissed', () => {
  assert.equal(autoDismissMs({ tone: 'info', text: '300 bins found' }), INFO_TOAST_MS);
  assert.equal(INFO_TOAST_MS, 6000);
  assert.equal(autoDismissMs({ tone: 'error', text: 'folder cannot be read', code: 'FILE_UNREADABLE' }), null);
});
