/** `[` / `]` queue: every press counts, the walk continues from where it got to, only the last bin opens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BinStepQueue } from '../../../renderer/lib/bin-step-queue.ts';
import type { StepDirection } from '../../../renderer/lib/bin-step-queue.ts';

const IDS = ['D20240501T000000_IFCB001', 'D20240501T010000_IFCB001', 'D20240501T020000_IFCB001', 'D20240501T030000_IFCB001', 'D20240501T040000_IFCB001', 'D20240501T050000_IFCB001', 'D20240501T060000_IFCB001', 'D20240501T070000_IFCB001'];

/** A catalogue of IDS in time order whose lookups resolve only when the test releases them. */
function harness(options: { failAt?: string } = {}) {
  const waiting: (() => void)[] = [];
  const lookups: string[] = [];
  const opened: string[] = [];
  const queue = new BinStepQueue({
    neighbour(binId: string, direction: StepDirection) {
      // The hour digits name the bin in the log.
      lookups.push(`${direction}:${binId.slice(10, 12)}`);
      return new Promise<string | undefined>((resolve, reject) => {
        waiting.push(() => {
          if (binId === options.failAt) return reject(new Error('catalogue closed'));
          const i = IDS.indexOf(binId) + (direction === 'next' ? 1 : -1);
          resolve(IDS[i]);
        });
      });
    },
    open: (id) => opened.push(id),
  });
  /** Answer every outstanding lookup, one at a time, until none is left. */
  const settle = async () => {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const next = waiting.shift();
      if (!next) return;
      next();
    }
  };
  return { queue, waiting, lookups, opened, settle };
}

test('five presses while the first step is looked up move five bins and open only the last', async () => {
  const h = harness();
  for (let i = 0; i < 5; i++) h.queue.press(IDS[1]!, 'next');
  assert.equal(h.queue.queued, 5);
  assert.equal(h.waiting.length, 1, 'one lookup at a time');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[6]]);
  assert.deepEqual(h.lookups, ['next:01', 'next:02', 'next:03', 'next:04', 'next:05']);
  assert.equal(h.queue.queued, 0);
});

test('presses arriving mid-walk join it: the walk goes on from the bin it reached, not the bin on screen', async () => {
  const h = harness();
  h.queue.press(IDS[0]!, 'next');
  h.queue.press(IDS[0]!, 'next');
  h.waiting.shift()!();
  await new Promise((r) => setImmediate(r));
  // The first step reached IDS[1], the second is being looked up; the screen still shows IDS[0].
  assert.deepEqual(h.lookups, ['next:00', 'next:01']);
  h.queue.press(IDS[0]!, 'next');
  h.queue.press(IDS[0]!, 'next');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[4]]);
});

test('opposite presses cancel; a net zero opens nothing', async () => {
  const h = harness();
  h.queue.press(IDS[4]!, 'next');
  h.queue.press(IDS[4]!, 'next');
  h.queue.press(IDS[4]!, 'previous');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[5]]);

  const z = harness();
  z.queue.press(IDS[4]!, 'previous');
  z.queue.press(IDS[4]!, 'next');
  assert.equal(z.queue.queued, 0);
  await z.settle();
  assert.deepEqual(z.opened, []);
});

test('at the end of the catalogue the walk stops on the last bin; presses beyond it do nothing', async () => {
  const h = harness();
  for (let i = 0; i < 4; i++) h.queue.press(IDS[6]!, 'next');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[7]]);
  assert.equal(h.queue.queued, 0);

  const first = harness();
  first.queue.press(IDS[0]!, 'previous');
  await first.settle();
  assert.deepEqual(first.opened, []);
});

test('a failed lookup stops the walk where it got to and clears the queue', async () => {
  const h = harness({ failAt: IDS[3] });
  for (let i = 0; i < 4; i++) h.queue.press(IDS[1]!, 'next');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[3]]);
  assert.equal(h.queue.queued, 0);
});

test('after a walk, the next press starts from the bin the caller shows', async () => {
  const h = harness();
  h.queue.press(IDS[2]!, 'next');
  await h.settle();
  h.queue.press(IDS[5]!, 'previous');
  await h.settle();
  assert.deepEqual(h.opened, [IDS[3], IDS[4]]);
});
