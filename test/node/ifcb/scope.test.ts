/**
 * Scopes (spec §10, issue 3): `.roi` open while any scope lives, reference-counted nesting,
 * SCOPE_CLOSED after dispose, open/close per read outside, and no fd left behind on any path.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { mkdirSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { SAMPLE } from '../../helpers/data.ts';
import { assertNoFdLeak, assertNoFdLeakAsync, openFdsUnder } from '../../helpers/fd-leak.ts';
import { snapshotTree } from '../../helpers/file-snapshot.ts';
import { writeSyntheticBin } from '../../helpers/synthetic-bin.ts';
import { tempDirFor } from '../../helpers/temp.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { openBin } from '../../../main/ifcb/bin.ts';
import { forceGc } from '../../helpers/gc.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof IfcbError) return e.code;
    throw e;
  }
  return 'no error';
}

/** Count openSync calls and their flags while `fn` runs. */
function countOpens<T>(fn: () => T): { result: T; opens: string[] } {
  const original = fs.openSync;
  const opens: string[] = [];
  fs.openSync = ((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
    // numeric flags that open read-only (the reader adds O_NONBLOCK against FIFOs) count as 'r'
    const readOnly = typeof flags === 'number' && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) === 0;
    opens.push(`${path.extname(String(p))} ${readOnly ? 'r' : String(flags)}`);
    return original(p, flags ?? 'r', mode);
  }) as typeof fs.openSync;
  syncBuiltinESMExports();
  try {
    return { result: fn(), opens };
  } finally {
    fs.openSync = original;
    syncBuiltinESMExports();
  }
}

const roiOf = (base: string) => `${base}.roi`;

describe('scope lifetimes', () => {
  test('using: the .roi is open inside the block and closed after it, even when the block throws', () => {
    const bin = openBin(SAMPLE.B);
    assertNoFdLeak(() => {
      {
        using scope = bin.scope();
        assert.equal(scope.closed, false);
        assert.equal(openFdsUnder(roiOf(SAMPLE.B)).length, 1);
        assert.equal(scope.images.get(7).width, 88);
      }
      assert.deepEqual(openFdsUnder(roiOf(SAMPLE.B)), []);
      assert.throws(() => {
        using scope = bin.scope();
        scope.images.get(12345);
      }, /target 12345 has no image in D20130526T095207_IFCB013/);
      assert.equal(bin.openScopes, 0);
    });
  });

  test('nested scopes are reference-counted: the inner exit does not close the outer scope (pyifcb quirk fixed)', () => {
    const bin = openBin(SAMPLE.A);
    assertNoFdLeak(() => {
      const outer = bin.scope();
      {
        using inner = bin.scope();
        assert.equal(bin.openScopes, 2);
        assert.equal(openFdsUnder(roiOf(SAMPLE.A)).length, 1, 'scopes share one fd');
        assert.equal(inner.images.get(1).height, 45);
      }
      assert.equal(bin.openScopes, 1);
      assert.equal(openFdsUnder(roiOf(SAMPLE.A)).length, 1);
      assert.equal(outer.images.get(3).width, 263);
      // double dispose of one scope must not release another's reference
      const other = bin.scope();
      other[Symbol.dispose]();
      other[Symbol.dispose]();
      assert.equal(bin.openScopes, 1);
      assert.equal(outer.rawImages.get(4).width, 113);
      outer[Symbol.dispose]();
      assert.equal(bin.openScopes, 0);
      assert.deepEqual(openFdsUnder(roiOf(SAMPLE.A)), []);
    });
  });

  test('after dispose every read through the scope is SCOPE_CLOSED, including through a map taken earlier', () => {
    const bin = openBin(SAMPLE.C);
    const scope = bin.scope();
    const images = scope.images;
    scope[Symbol.dispose]();
    assert.equal(scope.closed, true);
    for (const read of [() => images.get(2), () => images.getMany([2, 3]), () => [...images], () => scope.images, () => scope.headers, () => scope.adc, () => scope.metrics, () => scope.header('runTime'), () => scope.read()]) {
      assert.equal(codeOf(read), 'SCOPE_CLOSED');
    }
    try {
      images.get(3);
    } catch (e) {
      assert.ok(e instanceof IfcbError);
      assert.match(e.message, /the scope of D20220522T003051_IFCB134 has been closed/);
    }
    // identity stays readable; the bin itself still works
    assert.equal(scope.id, 'D20220522T003051_IFCB134');
    assert.equal(bin.images.get(3).height, 114);
    assert.deepEqual(openFdsUnder(roiOf(SAMPLE.C)), []);
  });

  test('await using works too', async () => {
    await assertNoFdLeakAsync(async () => {
      await using scope = openBin(SAMPLE.C).scope();
      await Promise.resolve();
      assert.equal(scope.images.get(2).width, 176);
    });
  });

  test('outside a scope each read opens and closes the .roi (read-only); inside, bin.images shares the scope\'s fd', () => {
    const bin = openBin(SAMPLE.B);
    void bin.adc; // parse first so only .roi opens are counted below
    void bin.headers;
    const outside = countOpens(() => [bin.images.get(7), bin.images.get(11), bin.images.getMany([13, 21, 32])]);
    assert.deepEqual(outside.opens, ['.roi r', '.roi r', '.roi r']);
    assert.deepEqual(openFdsUnder(SAMPLE.B), []);
    const inside = countOpens(() => {
      using scope = bin.scope();
      return [...scope.images.values(), bin.images.get(99)].length;
    });
    assert.equal(inside.result, 20);
    assert.deepEqual(inside.opens, ['.roi r']);
    // every file the reader opens is opened read-only
    const all = countOpens(() => {
      const fresh = openBin(SAMPLE.A);
      void fresh.metrics;
      fresh.read();
      return fresh.images.get(3);
    });
    assert.deepEqual(all.opens.sort(), ['.adc r', '.hdr r', '.roi r', '.roi r']);
  });

  test('read() inside a scope reuses the open .roi and the result outlives the scope', () => {
    const bin = openBin(SAMPLE.A);
    const mem = assertNoFdLeak(() => {
      using scope = bin.scope();
      return countOpens(() => scope.read());
    });
    assert.deepEqual(mem.opens.filter((o) => o.startsWith('.roi')), []);
    assert.equal(mem.result.images.get(3).width, 263);
  });

  test('a scope that is dropped without dispose gives its reference back when collected', async () => {
    const bin = openBin(SAMPLE.C);
    const kept = bin.scope();
    (() => {
      const forgotten = bin.scope();
      assert.equal(forgotten.images.get(2).width, 176);
    })();
    assert.equal(bin.openScopes, 2);
    for (let i = 0; i < 50 && bin.openScopes > 1; i++) {
      forceGc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(bin.openScopes, 1);
    assert.equal(openFdsUnder(roiOf(SAMPLE.C)).length, 1);
    kept[Symbol.dispose]();
    assert.deepEqual(openFdsUnder(roiOf(SAMPLE.C)), []);
  });

  test('entering a scope on a bin without .roi is FILE_MISSING (pyifcb FileNotFoundError) and leaves nothing open', () => {
    for (const base of [SAMPLE.D, SAMPLE.E]) {
      const bin = openBin(base);
      assertNoFdLeak(() => assert.equal(codeOf(() => bin.scope()), 'FILE_MISSING'));
      assert.equal(bin.openScopes, 0);
    }
  });
});

describe('error paths leave no fd open and never touch the files', () => {
  test('truncated .roi: ROI_TRUNCATED in and out of a scope, naming file and target', (t) => {
    const dir = tempDirFor(t);
    const syn = writeSyntheticBin(dir, { targets: 40, seed: 11 });
    const last = syn.images.at(-1)!;
    truncateSync(syn.paths.roi, last.byteOffset + 10);
    const before = snapshotTree(dir);
    const bin = openBin(syn.paths.roi);
    assertNoFdLeak(() => {
      try {
        bin.images.get(last.target);
        assert.fail('read past EOF');
      } catch (e) {
        assert.ok(e instanceof IfcbError);
        assert.equal(e.code, 'ROI_TRUNCATED');
        assert.ok(e.message.startsWith(`${syn.paths.roi} is truncated: ROI ${last.target} `), e.message);
      }
      {
        using scope = bin.scope();
        assert.equal(codeOf(() => scope.images.getMany(scope.images.keys())), 'ROI_TRUNCATED');
        assert.equal(codeOf(() => [...scope.images]), 'ROI_TRUNCATED');
        // images before the cut still read fine
        assert.deepEqual(scope.images.get(syn.images[0]!.target).pixels, syn.pixelsOf(syn.images[0]!.target));
      }
      const mem = bin.read();
      assert.equal(codeOf(() => mem.images.get(last.target)), 'ROI_TRUNCATED');
      assert.deepEqual(mem.images.get(1).pixels, syn.pixelsOf(1));
    });
    assert.deepEqual(snapshotTree(dir), before);
  });

  test('a directory where a file should be is FILE_UNREADABLE; a missing .hdr is FILE_MISSING', (t) => {
    const dir = tempDirFor(t);
    const syn = writeSyntheticBin(dir, { targets: 5 });
    renameSync(syn.paths.roi, `${syn.paths.roi}.bak`);
    mkdirSync(syn.paths.roi);
    const bin = openBin(syn.base);
    assertNoFdLeak(() => {
      assert.equal(bin.hasRoiFile(), false);
      assert.equal(codeOf(() => bin.scope()), 'FILE_UNREADABLE');
      assert.equal(codeOf(() => bin.images.get(1)), 'FILE_UNREADABLE');
      assert.equal(codeOf(() => bin.read()), 'FILE_UNREADABLE');
      assert.equal(bin.openScopes, 0);
    });
    const syn2 = writeSyntheticBin(dir, { targets: 5, seed: 2, epochMs: Date.UTC(2020, 1, 2) });
    renameSync(syn2.paths.adc, `${syn2.paths.adc}.bak`);
    mkdirSync(syn2.paths.adc);
    fs.rmSync(syn2.paths.hdr);
    const bin2 = openBin(syn2.paths.roi);
    assertNoFdLeak(() => {
      assert.equal(codeOf(() => bin2.adc), 'FILE_UNREADABLE');
      assert.match(String((() => { try { void bin2.adc; } catch (e) { return (e as Error).message; } })()), /it is a directory/);
      assert.equal(codeOf(() => bin2.headers), 'FILE_MISSING');
      assert.equal(codeOf(() => bin2.read()), 'FILE_MISSING');
    });
  });

  test('corrupt geometry rows: negative width, w != 0 with h == 0, offset past EOF', (t) => {
    const dir = tempDirFor(t);
    const syn = writeSyntheticBin(dir, { targets: 6, emptyEvery: 0 });
    const rows = fs.readFileSync(syn.paths.adc, 'latin1').trim().split(/\r?\n/).map((r) => r.split(','));
    rows[1]![15] = '-5'; // target 2: negative width
    rows[2]![16] = '0'; // target 3: width != 0, height 0
    rows[3]![17] = String(syn.roiBytes + 100); // target 4: offset past EOF
    rows[4]![15] = '3.5'; // target 5: fractional width
    fs.rmSync(syn.paths.adc);
    writeFileSync(syn.paths.adc, rows.map((r) => r.join(',')).join('\n') + '\n');
    const bin = openBin(syn.base);
    assertNoFdLeak(() => {
      assert.deepEqual(bin.images.keys(), [1, 2, 3, 4, 5, 6]);
      assert.equal(codeOf(() => bin.images.get(2)), 'ROI_INVALID_GEOMETRY');
      assert.equal(codeOf(() => bin.images.geometry(3)), 'ROI_INVALID_GEOMETRY');
      assert.equal(codeOf(() => bin.images.get(4)), 'ROI_TRUNCATED');
      assert.equal(codeOf(() => bin.images.get(5)), 'ROI_INVALID_GEOMETRY');
      using scope = bin.scope();
      assert.equal(codeOf(() => scope.images.get(3)), 'ROI_INVALID_GEOMETRY');
      assert.deepEqual(scope.images.get(6).pixels, syn.pixelsOf(6));
    });
  });
});
