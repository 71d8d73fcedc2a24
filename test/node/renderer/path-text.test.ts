/**
 * Where a path or a bin id may wrap: after a slash, and in its last part after the last underscore.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pathPieces } from '../../../renderer/components/path-text.tsx';

test('a path breaks after each slash and after the last underscore of its file or bin name', () => {
  assert.deepEqual(pathPieces('D20130526/D20130526T095207_IFCB013'), ['D20130526/', 'D20130526T095207_', 'IFCB013']);
  assert.deepEqual(pathPieces('IFCB5_2012_028/IFCB5_2012_028_081515'), ['IFCB5_2012_028/', 'IFCB5_2012_028_', '081515']);
  assert.deepEqual(pathPieces('D20220522T003051_IFCB134'), ['D20220522T003051_', 'IFCB134'], 'a bare bin id');
  assert.deepEqual(pathPieces('data/plain'), ['data/', 'plain']);
  assert.deepEqual(pathPieces('trailing_'), ['trailing_'], 'nothing after the underscore: one piece');
  assert.deepEqual(pathPieces('/abs/x'), ['/', 'abs/', 'x']);
  assert.deepEqual(pathPieces(''), ['']);
});

test('the pieces are the path, in order, for any path', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'B', '1', '_', '/', '.', ' ', 'é') }), (p) => {
      const pieces = pathPieces(p);
      assert.equal(pieces.join(''), p);
      for (const piece of pieces.slice(0, -1)) assert.ok(piece.endsWith('/') || piece.endsWith('_'), JSON.stringify(pieces));
    }),
  );
});
