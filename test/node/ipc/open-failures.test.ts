/** Files the OS asks to open that are damaged: handed to the page with their error, before and after it is ready; the server still starts. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import type { IfcbEvent } from '../../../shared/ipc/contract.ts';
import { isIfcbError } from '../../../shared/errors.ts';
import { deliverOsOpen } from '../../../main/ipc/handlers/bin.ts';
import { startViewerServer } from '../../../main/http-bridge/index.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { makeRouter } from './fixtures.ts';

function damagedBin(dir: string, hour: number) {
  const bin = writeSyntheticBin(dir, { targets: 5, epochMs: Date.UTC(2024, 0, 1, hour) });
  writeFileSync(bin.paths.adc, '1,2,3\nnot,a,number\n');
  return bin;
}

test('a damaged launch path reaches the page with its code: queued for app:ready, then as an event', async (t) => {
  const dir = makeTempDir('ifcb-open-failures-');
  t.after(() => removeTempDir(dir));
  const good = writeSyntheticBin(dir, { targets: 5, epochMs: Date.UTC(2024, 0, 2) });
  const bad = damagedBin(dir, 1);
  const { router, ctx } = makeRouter();
  assert.throws(() => deliverOsOpen(ctx, bad.paths.adc), (e) => isIfcbError(e));
  deliverOsOpen(ctx, good.paths.roi);
  const ready = await router.dispatch('app:ready', {});
  assert.ok(ready.ok);
  const value = ready.value as { opened: { bin: { id: string } }[]; rejected: { name: string; code: string }[] };
  assert.deepEqual(value.opened.map((o) => o.bin.id), [good.id]);
  assert.equal(value.rejected.length, 1);
  assert.equal(value.rejected[0]!.name, `${bad.id}.adc`);
  assert.match(value.rejected[0]!.code, /^ADC_/);
  const events: IfcbEvent[] = [];
  ctx.events.subscribe((e) => events.push(e));
  const later = damagedBin(dir, 3);
  assert.throws(() => deliverOsOpen(ctx, later.paths.hdr));
  assert.deepEqual(events.map((e) => (e.type === 'bin-rejected' ? [e.type, e.rejected.name, e.rejected.code.startsWith('ADC_')] : [e.type])), [['bin-rejected', `${later.id}.hdr`, true]]);
});

test('the bridge starts with a damaged file among its launch files', async (t) => {
  const dir = makeTempDir('ifcb-open-failures-');
  t.after(() => removeTempDir(dir));
  const bad = damagedBin(dir, 1);
  const server = await startViewerServer({ files: [bad.paths.adc], roots: [dir] });
  t.after(() => server.close());
  assert.equal(server.ctx.pendingRejected.length, 1);
});
