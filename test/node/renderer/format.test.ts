import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computed, full } from '../../../renderer/lib/format.ts';

test('computed quantities drop float noise at 12 significant digits; ADC values stay as written', () => {
  // spec §11, bin B: inhibit 11.620325999999977 s, run 1184.037103 s, ml 4.8850699041666665
  assert.equal(computed(11.620325999999977), '11.620326');
  assert.equal(computed(1184.037103), '1184.037103');
  assert.equal(computed(4.8850699041666665), '4.88506990417');
  assert.equal(computed(0.43799999999999994), '0.438');
  assert.equal(computed(NaN), '—');
  assert.equal(computed(null), '—');
  assert.equal(full(0.3105469), '0.3105469');
  assert.equal(full(-999), '-999');
});
