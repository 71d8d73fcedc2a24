/**
 * The allow-list: containment after realpath, `..` and symlinks out of a root, single-bin grants, root removal,
 * and Windows rules (case-insensitive, drive paths) through an injected file system.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccessList, stripBinExtension, type AccessFs } from '../../../main/access/allow-list.ts';
import { isIfcbError } from '../../../shared/errors.ts';
import { SAMPLE } from '../../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return isIfcbError(e) ? e.code : String(e);
  }
}

describe('access allow-list (POSIX, real files)', () => {
  let dir: string;
  let outside: string;
  before(() => {
    dir = makeTempDir('ifcb-access-');
    outside = makeTempDir('ifcb-access-out-');
    fs.mkdirSync(path.join(dir, 'root', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'root', 'sub', 'a.txt'), 'a');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 's');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'root', 'link-out.txt'));
    fs.symlinkSync(outside, path.join(dir, 'root', 'dir-out'));
    fs.symlinkSync(path.join(dir, 'root', 'sub', 'a.txt'), path.join(outside, 'link-in.txt'));
    fs.mkdirSync(path.join(dir, 'root-sibling'));
    fs.writeFileSync(path.join(dir, 'root-sibling', 'b.txt'), 'b');
  });
  after(() => {
    removeTempDir(dir);
    removeTempDir(outside);
  });

  it('allows what is under a root and nothing beside it (prefix is not containment)', () => {
    const access = new AccessList();
    access.allowRoot(path.join(dir, 'root'));
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', 'sub', 'a.txt'))), 'OK');
    assert.equal(codeOf(() => access.check(path.join(dir, 'root'))), 'OK');
    assert.equal(codeOf(() => access.check(path.join(dir, 'root-sibling', 'b.txt'))), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', '..', 'root-sibling', 'b.txt'))), 'PATH_NOT_ALLOWED');
  });

  it('follows symlinks: out of the root is refused, into the root from outside is allowed (the target decides)', () => {
    const access = new AccessList();
    access.allowRoot(path.join(dir, 'root'));
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', 'link-out.txt'))), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', 'dir-out', 'secret.txt'))), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(path.join(outside, 'link-in.txt'))), 'OK');
  });

  it('refuses relative paths, NUL bytes, and reports missing files as FILE_MISSING', () => {
    const access = new AccessList();
    access.allowRoot(path.join(dir, 'root'));
    assert.equal(codeOf(() => access.check('root/sub/a.txt')), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(`${dir}/root/sub/a.txt\0.adc`)), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', 'nope.adc'))), 'FILE_MISSING');
  });

  it('a missing path outside every root gets the very answer an existing one gets (no probing), inside a root FILE_MISSING', () => {
    const access = new AccessList();
    access.allowRoot(path.join(dir, 'root'));
    const answer = (p: string) => {
      try {
        access.check(p);
        return 'OK';
      } catch (e) {
        return isIfcbError(e) ? [e.code, e.message.replace(p, '<path>'), JSON.stringify(e.details).replace(JSON.stringify(p).slice(1, -1), '<path>')].join(' | ') : String(e);
      }
    };
    const existing = answer(path.join(outside, 'secret.txt'));
    assert.match(existing, /^PATH_NOT_ALLOWED/);
    assert.equal(answer(path.join(outside, 'secretx.txt')), existing);
    assert.equal(answer('/etc/shadow'), existing);
    assert.equal(answer('/etc/shadowx'), existing);
    assert.equal(answer('/no/such/folder/at/all'), existing);
    // through a link out of the root, a missing name is outside too
    assert.equal(answer(path.join(dir, 'root', 'dir-out', 'secretx.txt')), existing);
    assert.match(answer(path.join(dir, 'root', 'sub', 'missing.adc')), /^FILE_MISSING/);
  });

  it('checkBin checks exactly the files the reader opens: the siblings of the linked .adc, each through its own links', () => {
    // a/X.adc -> ../b/X.adc inside the root; b/X.hdr links outside every root; a/X.hdr is a harmless real file
    const root = path.join(dir, 'linked-bin');
    const [a, b] = [path.join(root, 'a'), path.join(root, 'b')];
    fs.mkdirSync(a, { recursive: true });
    fs.mkdirSync(b);
    const id = path.basename(SAMPLE.B);
    fs.copyFileSync(`${SAMPLE.B}.adc`, path.join(b, `${id}.adc`));
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(outside, `${id}.hdr`));
    fs.symlinkSync(path.join(outside, `${id}.hdr`), path.join(b, `${id}.hdr`));
    fs.symlinkSync(path.join('..', 'b', `${id}.adc`), path.join(a, `${id}.adc`));
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(a, `${id}.hdr`));
    const access = new AccessList();
    access.allowRoot(root);
    assert.equal(codeOf(() => access.check(path.join(a, `${id}.hdr`))), 'OK', "a/'s own .hdr is allowed, but the reader does not open it");
    const e = (() => {
      try {
        access.checkBin(path.join(a, `${id}.adc`));
      } catch (error) {
        return error;
      }
    })();
    assert.ok(isIfcbError(e, 'PATH_NOT_ALLOWED'));
    assert.equal(e.details?.['path'], fs.realpathSync(path.join(outside, `${id}.hdr`)));
    // with b/X.hdr a real file, the bin resolves to b/
    fs.unlinkSync(path.join(b, `${id}.hdr`));
    fs.copyFileSync(`${SAMPLE.B}.hdr`, path.join(b, `${id}.hdr`));
    assert.equal(access.checkBin(path.join(a, `${id}.adc`)), path.join(fs.realpathSync(b), id));
  });

  it('allowBin grants exactly the three files of that bin', () => {
    const access = new AccessList();
    assert.equal(access.allowBin(`${SAMPLE.A}.roi`), SAMPLE.A);
    for (const ext of ['.adc', '.hdr', '.roi']) assert.equal(codeOf(() => access.check(SAMPLE.A + ext)), 'OK', ext);
    assert.equal(codeOf(() => access.check(path.dirname(SAMPLE.A))), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check(`${SAMPLE.B}.adc`)), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.allowBin(`${SAMPLE.decoy}`)), 'INVALID_BIN_ID');
    assert.equal(codeOf(() => access.allowBin(`${SAMPLE.A}_00001.adc`)), 'INVALID_BIN_ID');
    assert.equal(codeOf(() => access.allowBin(`${path.dirname(SAMPLE.A)}/IFCB5_2012_028_081516.adc`)), 'FILE_MISSING');
  });

  it('removeRoot revokes', () => {
    const access = new AccessList();
    access.allowRoot(path.join(dir, 'root'));
    access.removeRoot(path.join(dir, 'root'));
    assert.equal(codeOf(() => access.check(path.join(dir, 'root', 'sub', 'a.txt'))), 'PATH_NOT_ALLOWED');
    assert.deepEqual(access.listRoots(), []);
  });

  it('stripBinExtension only strips bin extensions', () => {
    assert.equal(stripBinExtension('/x/D20130526T095207_IFCB013.ADC'), '/x/D20130526T095207_IFCB013');
    assert.equal(stripBinExtension('/x/D20130526T095207_IFCB013.png'), '/x/D20130526T095207_IFCB013.png');
  });
});

describe('access allow-list (Windows rules)', () => {
  // a fake NTFS: case-insensitive, realpath returns the on-disk case, one junction out of the root
  const files = new Map<string, { real: string; dir: boolean }>([
    ['c:\\data', { real: 'C:\\Data', dir: true }],
    ['c:\\data\\bins\\d20130526t095207_ifcb013.adc', { real: 'C:\\Data\\Bins\\D20130526T095207_IFCB013.adc', dir: false }],
    ['c:\\data\\junction\\secret.adc', { real: 'D:\\Other\\secret.adc', dir: false }],
    ['c:\\database\\x.adc', { real: 'C:\\Database\\x.adc', dir: false }],
  ]);
  const fakeFs: AccessFs = {
    realpath: (p) => {
      const hit = files.get(path.win32.normalize(p).toLowerCase());
      if (!hit) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return hit.real;
    },
    stat: (p) => {
      const hit = files.get(path.win32.normalize(p).toLowerCase());
      return hit ? { isFile: () => !hit.dir, isDirectory: () => hit.dir } : undefined;
    },
  };

  it('compares case-insensitively and contains by path segments, not prefixes', () => {
    const access = new AccessList({ platform: 'win32', fs: fakeFs });
    assert.equal(access.allowRoot('c:\\DATA'), 'C:\\Data');
    assert.equal(codeOf(() => access.check('C:\\data\\BINS\\D20130526T095207_IFCB013.ADC')), 'OK');
    assert.equal(codeOf(() => access.check('c:/data/bins/d20130526t095207_ifcb013.adc')), 'OK');
    assert.equal(codeOf(() => access.check('C:\\Database\\x.adc')), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check('C:\\Data\\junction\\secret.adc')), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check('C:\\Data\\..\\Database\\x.adc')), 'PATH_NOT_ALLOWED');
    assert.equal(codeOf(() => access.check('Data\\bins\\x.adc')), 'PATH_NOT_ALLOWED');
    // missing and outside: the same answer as an existing outside path
    assert.equal(codeOf(() => access.check('\\\\server\\share\\x.adc')), 'PATH_NOT_ALLOWED');
  });
});
