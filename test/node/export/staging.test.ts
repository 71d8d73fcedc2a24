/**
 * The staging folder becomes the user's export folder (renamed into place) when the destination is new:
 * it must carry the normal mode of a new folder (0777 minus the umask), not a temp folder's private 0700.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { exportRois, STAGING_PREFIX } from '../../../main/export/index.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { tempDirFor } from '../../helpers/temp.ts';

const C = 'D20220522T003051_IFCB134';

for (const umask of [0o022, 0o027]) {
  test(`a new destination folder gets mode 0777 & ~umask (umask ${umask.toString(8).padStart(3, '0')}), not 0700`, { skip: process.platform === 'win32' }, async (t) => {
    const dir = tempDirFor(t);
    const previous = process.umask(umask);
    t.after(() => process.umask(previous));
    const dest = path.join(dir, 'new-folder');
    const result = await exportRois({ items: [{ binPath: SAMPLE.C, binId: C }], destination: dest, metadata: true });
    assert.equal(result.images, 2);
    assert.equal(statSync(dest).mode & 0o777, 0o777 & ~umask);
    assert.deepEqual(readdirSync(dest).sort(), [`${C}_00002.png`, `${C}_00003.png`, 'metadata.csv']);
    assert.deepEqual(readdirSync(dir), ['new-folder'], 'no staging folder left behind');
  });
}

test('an existing destination folder keeps its own mode; the staging folder inside it is gone', { skip: process.platform === 'win32' }, async (t) => {
  const dir = tempDirFor(t);
  const dest = path.join(dir, 'existing');
  mkdirSync(dest, { mode: 0o711 });
  const before = statSync(dest).mode & 0o777;
  await exportRois({ items: [{ binPath: SAMPLE.C, binId: C, targets: [3] }], destination: dest });
  assert.equal(statSync(dest).mode & 0o777, before);
  assert.deepEqual(readdirSync(dest), [`${C}_00003.png`]);
  assert.equal(readdirSync(dest).some((n) => n.startsWith(STAGING_PREFIX)), false);
});
