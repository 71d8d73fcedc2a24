/** The library's search box and time span: what is typed or brushed becomes exactly what is filtered. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { binsFilterSchema } from '../../../shared/ipc/contract.ts';
import { brushSpan, fromDateTimeField, searchFilter, spanFilter, toDateTimeField } from '../../../renderer/lib/library-filter.ts';

test('search: #N is exactly that instrument; anything else goes to the catalogue upper-cased, to be found in any part of id or instrument', () => {
  assert.deepEqual(searchFilter(''), {});
  assert.deepEqual(searchFilter('  '), {});
  assert.deepEqual(searchFilter('t12'), { search: 'T12' });
  assert.deepEqual(searchFilter('901'), { search: '901' });
  assert.deepEqual(searchFilter('20240501'), { search: '20240501' });
  assert.deepEqual(searchFilter('ifcb134'), { search: 'IFCB134' });
  assert.deepEqual(searchFilter('_IFCB5'), { search: '_IFCB5' });
  assert.deepEqual(searchFilter(' IFCB5_2012 '), { search: 'IFCB5_2012' });
  assert.deepEqual(searchFilter('#134'), { instrument: 134 });
  assert.deepEqual(searchFilter('#005'), { instrument: 5 });
  assert.deepEqual(searchFilter('#0'), { instrument: 0 });
  assert.equal(searchFilter('D2013*'), 'invalid');
  assert.equal(searchFilter('a'.repeat(25)), 'invalid');
  assert.equal(searchFilter('#1234'), 'invalid');
  assert.equal(searchFilter('#'), 'invalid');
});

test('property: every search the box sends is one the contract accepts', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (text) => {
      const f = searchFilter(text);
      if (f !== 'invalid') assert.ok(binsFilterSchema.safeParse(f).success, JSON.stringify(f));
    }),
  );
});

test('a brush covers every whole second it touches; the fields show those seconds; the filter ends after the last', () => {
  const a = Date.parse('2023-08-10T11:30:59.400Z');
  const b = Date.parse('2023-08-10T11:29:00.999Z');
  const span = brushSpan(a, b);
  assert.deepEqual(span, { from: Date.parse('2023-08-10T11:29:00Z'), to: Date.parse('2023-08-10T11:30:59Z') });
  assert.equal(toDateTimeField(span.from), '2023-08-10 11:29:00');
  assert.equal(toDateTimeField(span.to), '2023-08-10 11:30:59');
  assert.deepEqual(spanFilter(span), { from: Date.parse('2023-08-10T11:29:00Z'), to: Date.parse('2023-08-10T11:31:00Z') });
  assert.deepEqual(spanFilter({ from: null, to: null }), {});
  assert.equal(toDateTimeField(null), '');
});

test('time fields: UTC, seconds optional, a day alone covers the whole day, anything else is no bound', () => {
  assert.equal(fromDateTimeField('2023-08-10 11:30:59'), Date.parse('2023-08-10T11:30:59Z'));
  assert.equal(fromDateTimeField('2023-08-10T11:30:59'), Date.parse('2023-08-10T11:30:59Z'));
  assert.equal(fromDateTimeField(' 2023-08-10 11:30 '), Date.parse('2023-08-10T11:30:00Z'));
  assert.equal(fromDateTimeField('2023-08-10'), Date.parse('2023-08-10T00:00:00Z'));
  assert.equal(fromDateTimeField('2023-08-10', 'to'), Date.parse('2023-08-10T23:59:59Z'));
  assert.equal(fromDateTimeField('2023-08-10 11:30', 'to'), Date.parse('2023-08-10T11:30:00Z'));
  assert.equal(fromDateTimeField(''), null);
  assert.equal(fromDateTimeField('2023-08'), null);
  assert.equal(fromDateTimeField('2023-02-30'), null);
  assert.equal(fromDateTimeField('2023-08-10 24:00:00'), null);
  assert.equal(fromDateTimeField('2023-08-10 11:30:59.5'), null);
});

test('property: a bin at second s is in the filtered span exactly when the fields show a span containing s', () => {
  const t = fc.integer({ min: Date.parse('2006-01-01T00:00:00Z'), max: Date.parse('2199-01-01T00:00:00Z') });
  fc.assert(
    fc.property(t, t, t, (a, b, binAt) => {
      const bin = Math.floor(binAt / 1000) * 1000;
      const span = brushSpan(a, b);
      const f = spanFilter(span);
      const inFilter = bin >= f.from! && bin < f.to!;
      const shownFrom = fromDateTimeField(toDateTimeField(span.from))!;
      const shownTo = fromDateTimeField(toDateTimeField(span.to))!;
      assert.equal(inFilter, bin >= shownFrom && bin <= shownTo);
      // Every second the brush touched is in, nothing a second outside it is.
      assert.equal(inFilter, bin >= Math.floor(Math.min(a, b) / 1000) * 1000 && bin <= Math.max(a, b));
    }),
  );
});
