/**
 * The export port passes the bin cache's parsed `Bin` through to main/export: the exporter plans and writes
 * from it instead of opening (and re-parsing) the bin at `binPath` again.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openBin } from '../../../main/ifcb/bin.ts';
import { runExport } from '../../../main/ipc/export-adapter.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const C = 'D20220522T003051_IFCB134';

test('runExport writes from the given Bin: its ADC is reused, nothing is read at binPath', async (t) => {
  const dir = tempDirFor(t);
  const bin = openBin(SAMPLE.C);
  assert.equal(bin.images.size, 2); // parsed once, here (the bin cache's job in the app)
  const progress: number[] = [];
  const { summary } = await runExport(
    {
      // a path where no file exists: opening it would fail with FILE_MISSING
      items: [{ binId: C, binPath: path.join(dir, 'elsewhere', C), bin }],
      destination: path.join(dir, 'out'),
      kind: 'folder',
      pxPerUm: () => 3.4,
      onExisting: 'fail',
      format: 'png',
      ecotaxa: false,
      metadata: false,
      layout: 'rois',
    },
    { onProgress: (done) => progress.push(done), signal: new AbortController().signal },
  );
  assert.equal(summary, `2 images written to ${path.join(dir, 'out')}`);
  assert.deepEqual(readdirSync(path.join(dir, 'out')).sort(), [`${C}_00002.png`, `${C}_00003.png`]);
  assert.equal(progress.at(-1), 2);
  assert.equal(bin.openScopes, 0, 'the .roi was closed after writing');
});
