/**
 * ZipWriter (yazl with backpressure): many entries in order, and memory that does not grow with the
 * number of entries (yazl 3.3 would keep every added buffer until the end; see zip-writer.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ZipWriter } from '../../../main/export/zip-writer.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { readZip } from './zip-read.ts';
import { forceGc } from '../../helpers/gc.ts';


test('3,000 entries come out complete and in order; finished entries are moved aside while writing', async (t) => {
  const dir = tempDirFor(t);
  const file = path.join(dir, 'a.zip');
  const zip = new ZipWriter(file);
  for (let i = 0; i < 3000; i++) await zip.add(`e${String(i).padStart(5, '0')}.bin`, new Uint8Array(100).fill(i & 0xff));
  const internal = (zip as unknown as { zip: { entries: unknown[] } }).zip.entries;
  assert.ok(internal.length < 3000, `yazl's scan list is trimmed (${internal.length} left)`);
  assert.equal(zip.entryCount, 3000);
  await zip.finish();
  const entries = readZip(file);
  assert.equal(entries.length, 3000);
  for (let i = 0; i < 3000; i += 499) {
    assert.equal(entries[i]!.name, `e${String(i).padStart(5, '0')}.bin`);
    assert.ok(entries[i]!.data.equals(Buffer.alloc(100, i & 0xff)));
  }
});

test('buffers handed to add() are released once written (memory flat in the number of entries)', async (t) => {
  const dir = tempDirFor(t);
  const zip = new ZipWriter(path.join(dir, 'b.zip'), 256 * 1024);
  const registry = new FinalizationRegistry<number>(() => collected++);
  let collected = 0;
  const n = 400;
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(64 * 1024).fill(i & 0xff);
    registry.register(data.buffer, i);
    await zip.add(`x${i}.bin`, data);
  }
  // the last writes drain, then the buffers are collectable: collect until they are (or time out)
  await waitFor(
    () => {
      forceGc();
      return collected >= n - 40;
    },
    10_000,
    `${n - 40} of ${n} added buffers to be released before finish()`,
  );
  await zip.finish();
});
