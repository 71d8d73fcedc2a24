/** The library chart's points: every listed bin with a volume, or one class's series (only buckets with counted bins). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogueBin, TimeSeries } from '../../../shared/ipc/contract.ts';
import { classPoints, totalPoints } from '../../../renderer/components/concentration-chart.tsx';

const bin = (id: string, epochMs: number, imageCount: number | null, mlAnalyzed: number | null) => ({ id, epochMs, imageCount, mlAnalyzed }) as CatalogueBin;

test('every image: images per mL of each listed bin; bins without a volume or a count are left out', () => {
  assert.deepEqual(totalPoints([bin('D20220522T003051_IFCB134', 1000, 2, 4), bin('D20220522T000439_IFCB134', 500, 3, null), bin('D20130526T095207_IFCB013', 200, null, 2)]), [
    { key: 'D20220522T003051_IFCB134', epochMs: 1000, value: 0.5, binId: 'D20220522T003051_IFCB134', label: 'D20220522T003051_IFCB134' },
  ]);
});

test('one class: a point per bucket whose bins had their classes counted and a volume; bins open on click, buckets do not', () => {
  const cls = (bins: number, count: number, concentration: number | null) => ({ bins, count, mlAnalyzed: concentration === null ? null : 1, concentration });
  const byBin: TimeSeries = {
    bucket: 'bin',
    from: '2022-05-22T00:00:00Z',
    to: '2022-05-23T00:00:00Z',
    points: [
      { start: '2022-05-22T00:04:39Z', epochMs: 1, id: 'D20220522T000439_IFCB134', bins: 1, images: 9, mlAnalyzed: 1, concentration: 9, class: cls(0, 0, null) },
      { start: '2022-05-22T00:30:51Z', epochMs: 2, id: 'D20220522T003051_IFCB134', bins: 1, images: 2, mlAnalyzed: 2, concentration: 1, class: cls(1, 2, 0.67) },
      { start: '2022-05-22T01:00:00Z', epochMs: 3, id: 'D20220522T010000_IFCB134', bins: 1, images: 2, mlAnalyzed: null, concentration: null, class: cls(1, 2, null) },
    ],
  };
  assert.deepEqual(classPoints(byBin), [{ key: 'D20220522T003051_IFCB134', epochMs: 2, value: 0.67, binId: 'D20220522T003051_IFCB134', label: 'D20220522T003051_IFCB134' }]);
  const byHour: TimeSeries = {
    bucket: 'hour',
    from: '2022-05-22T00:00:00Z',
    to: '2022-05-23T00:00:00Z',
    points: [{ start: '2022-05-22T13:00:00Z', epochMs: 7, bins: 3, images: 20, mlAnalyzed: 5, concentration: 4, class: cls(2, 4, 1.5) }],
  };
  assert.deepEqual(classPoints(byHour), [{ key: '2022-05-22T13:00:00Z', epochMs: 7, value: 1.5, label: '2022-05-22 13h (2 bins)' }]);
  assert.deepEqual(classPoints({ ...byHour, bucket: 'week' }), [{ key: '2022-05-22T13:00:00Z', epochMs: 7, value: 1.5, label: '2022-05-22 (2 bins)' }]);
});
