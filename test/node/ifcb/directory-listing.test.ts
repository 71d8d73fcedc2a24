/**
 * The directory-listing pieces shared by DataDirectory and the catalogue's walk: symbolic links
 * resolved (and reported when dangling), filesets in pyifcb order, subdirectories to descend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { filesetStems, resolveEntries, subdirectories } from '../../../main/ifcb/data-directory.ts';
import { tempDirFor } from '../../helpers/temp.ts';

test('filesetStems: .adc + .hdr (+ .roi when required), descending by .adc name, not by stem', () => {
  // 'A.adc' > 'A-.adc' (. after -) although 'A-' > 'A': the order is that of the file names, as pyifcb sorts them
  const names = new Set(['A.adc', 'A.hdr', 'A-.adc', 'A-.hdr', 'A-.roi', 'lone.adc', 'B.hdr']);
  assert.deepEqual(filesetStems(names, false), ['A', 'A-']);
  assert.deepEqual(filesetStems(names, true), ['A-']);
  assert.deepEqual(filesetStems(new Map([['x.adc', 'dir'], ['x.hdr', 'file']]), false), ['x']);
});

test('resolveEntries follows links, reports a dangling one as other; subdirectories skips the blacklist', (t) => {
  const dir = tempDirFor(t);
  for (const d of ['data', 'skip', 'beads', 'D2024']) mkdirSync(path.join(dir, d));
  writeFileSync(path.join(dir, 'f.adc'), '');
  symlinkSync(path.join(dir, 'data'), path.join(dir, 'linked'));
  symlinkSync(path.join(dir, 'f.adc'), path.join(dir, 'g.adc'));
  symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  const failed: [string, string | undefined][] = [];
  const entries = resolveEntries(dir, readdirSync(dir, { withFileTypes: true }), (name, e) => failed.push([name, (e as NodeJS.ErrnoException).code]));
  const kinds = Object.fromEntries(entries.map((e) => [e.name, e.kind]));
  assert.deepEqual(kinds, { data: 'dir', skip: 'dir', beads: 'dir', D2024: 'dir', 'f.adc': 'file', linked: 'dir', 'g.adc': 'file', dangling: 'other' });
  assert.deepEqual(failed, [['dangling', 'ENOENT']]);
  assert.deepEqual(subdirectories(entries, ['skip', 'beads']), ['linked', 'data', 'D2024']);
});
