/** Live watch: a bin written file by file appears within 5 s, flagged partial until its .roi is complete. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { SAMPLE } from '../../helpers/data.ts';
import { getBin, listBins } from '../../../main/index/queries.ts';
import type { CatalogueChange } from '../../../main/index/types.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { tempCatalogue } from './helpers.ts';

test('a watched folder receiving a bin file by file: appears partial within 5 s, complete once the .roi is whole, removed when deleted', async (t) => {
  const { catalogue, dir } = tempCatalogue(t);
  const root = path.join(dir, 'instrument');
  const day = path.join(root, 'D2022', 'D20220522');
  mkdirSync(day, { recursive: true });
  const r = catalogue.addRoot(root);
  await catalogue.index();
  const events: CatalogueChange[] = [];
  const handle = catalogue.watch(r.rootId, (c) => events.push(c), { debounceMs: 100, onError: (e) => assert.fail(String(e)) });
  t.after(() => handle.close());
  await handle.ready;

  const id = 'D20220522T003051_IFCB134';
  const target = path.join(day, id);
  const roi = readFileSync(`${SAMPLE.C}.roi`);
  // The instrument writes the header, then the ADC, then the images in pieces.
  writeFileSync(`${target}.hdr`, readFileSync(`${SAMPLE.C}.hdr`));
  // a complete bin written after the lone .hdr: once the watcher has added it, it has seen the .hdr too
  const sentinelId = path.basename(SAMPLE.B);
  const sentinelDay = path.join(root, 'D2013', 'D20130526');
  mkdirSync(sentinelDay, { recursive: true });
  for (const ext of ['hdr', 'adc', 'roi']) writeFileSync(path.join(sentinelDay, `${sentinelId}.${ext}`), readFileSync(`${SAMPLE.B}.${ext}`));
  await waitFor(() => events.find((e) => e.type === 'added' && e.id === sentinelId), 5000, 'the bin written after the lone .hdr');
  assert.deepEqual(events.filter((e) => e.id === id), [], 'a lone .hdr is not a bin');
  writeFileSync(`${target}.adc`, readFileSync(`${SAMPLE.C}.adc`));
  const t0 = Date.now();
  const added = await waitFor(() => events.find((e) => e.type === 'added' && e.id === id), 5000, 'the bin to appear');
  assert.ok(Date.now() - t0 < 5000);
  assert.deepEqual([added.id, added.qc], [id, ['noRoi', 'partial']]);
  assert.deepEqual(getBin(catalogue.db, id)!.qc, ['noRoi', 'partial']);

  const fd = openSync(`${target}.roi`, 'w');
  writeSync(fd, roi, 0, 10_000);
  await waitFor(() => events.some((e) => e.type === 'updated' && e.qc.join() === 'partial'), 5000, 'a partial .roi');
  assert.deepEqual(getBin(catalogue.db, id)!.qc, ['partial']);
  writeSync(fd, roi, 10_000, roi.length - 10_000);
  closeSync(fd);
  const complete = await waitFor(() => events.find((e) => e.type === 'updated' && e.qc.length === 0), 5000, 'the complete bin');
  assert.equal(complete.key, added.key);
  const bin = getBin(catalogue.db, id)!;
  assert.deepEqual([bin.qc, bin.roiBytes, bin.images, bin.adcRows, bin.hasRoiFile], [[], 30848, 2, 3, true]);

  // Files outside the rules or not bins are ignored; deleting the .adc removes the bin.
  writeFileSync(path.join(day, 'notes.txt'), 'x');
  mkdirSync(path.join(root, 'skip'));
  writeFileSync(path.join(root, 'skip', `${id}.adc`), '');
  writeFileSync(path.join(root, 'skip', `${id}.hdr`), '');
  rmSync(`${target}.adc`);
  await waitFor(() => events.some((e) => e.type === 'removed'), 5000, 'the removal');
  assert.deepEqual(listBins(catalogue.db).bins.map((b) => b.id), [sentinelId]);
  assert.deepEqual(events.filter((e) => e.id === id && e.type !== 'updated').map((e) => e.type), ['added', 'removed']);
});
