/**
 * Property tests (fast-check) for the pure parsers: ADC cells parse bit-identical to Number(text),
 * header lines round-trip through literal_eval, arbitrary bytes only ever raise IfcbError, and infill
 * fills every missing pixel while keeping the real ones.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { SAMPLE } from '../../helpers/data.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { SCHEMA_1_COLUMNS, SCHEMA_2_COLUMNS, parseAdc, roiColumnIndex } from '../../../main/ifcb/adc.ts';
import { decodeHeader, parseHeader } from '../../../main/ifcb/hdr.ts';
import { literalEval } from '../../../main/ifcb/python-literal.ts';
import { infill, rawStitch, type StitchPair } from '../../../main/ifcb/stitch.ts';
import type { HeaderValue, Schema } from '../../../main/ifcb/types.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** The many spellings instruments and tools use for one float. */
const spelled = (x: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 21 }), fc.boolean(), fc.boolean(), fc.constantFrom('', ' ', '\t '))
    .map(([style, digits, bareDot, upperE, pad]) => {
      let s: string;
      if (!Number.isFinite(x)) s = String(x);
      else if (style === 0) s = String(x);
      else if (style === 1) s = x.toExponential(Math.min(digits - 1, 20));
      else if (style === 2) s = x.toPrecision(digits);
      else if (style === 3 && Math.abs(x) < 1e21) s = x.toFixed(Math.min(digits, 20) - 1);
      else if (style === 4) s = x.toExponential();
      else s = String(x);
      if (bareDot) s = s.replace(/^(-?)0\./, '$1.'); // `.3105469`, `-.27557373046875` (schema 1)
      if (upperE) s = s.replace('e', 'E'); // `8.984375E-02`
      return pad + s + pad;
    });

const cellArb = fc
  .oneof(
    fc.double(),
    fc.double({ min: -1e4, max: 1e4, noNaN: true }),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.constantFrom(0, -0, 0.1, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2, 0.050664299999999995),
  )
  .filter((x) => !Number.isNaN(x))
  .chain(spelled);

const rowsArb = (schema: Schema) => {
  const width = schema === 1 ? SCHEMA_1_COLUMNS.length : SCHEMA_2_COLUMNS.length;
  return fc.array(fc.array(cellArb, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 });
};

describe('ADC cells parse bit-identical to Number(text) (= Python float())', () => {
  for (const schema of [1, 2] as const) {
    test(`schema ${schema}: random rows, spellings and line endings`, () => {
      fc.assert(
        fc.property(rowsArb(schema), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(), (rows, eol, finalEol) => {
          const trailing = schema === 1 ? ',' : '';
          const text = rows.map((r) => r.join(',') + trailing).join(eol) + (finalEol ? eol : '');
          const adc = parseAdc(enc(text), schema);
          assert.equal(adc.rowCount, rows.length);
          assert.equal(adc.columnNames.length, rows[0]!.length);
          rows.forEach((cells, r) => {
            const row = adc.row(r + 1);
            cells.forEach((cell, c) => assert.ok(Object.is(row[c], Number(cell.trim())), `${JSON.stringify(cell)} → ${row[c]}`));
          });
          assert.ok(Object.is(adc.triggers, Number(rows[rows.length - 1]![0]!.trim())));
        }),
        { numRuns: 300 },
      );
    });
  }
});

/** Python source for a value whose literal_eval is that value (JSON string escapes are Python escapes). */
function pyRepr(v: HeaderValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${pyRepr(x)}`)
    .join(', ')}}`;
}

const scalarArb: fc.Arbitrary<HeaderValue> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)), // `-0` is the int 0 in Python
  fc.boolean(),
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const valueArb: fc.Arbitrary<HeaderValue> = fc.oneof(
  { weight: 4, arbitrary: scalarArb },
  { weight: 1, arbitrary: fc.array(scalarArb, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), scalarArb, { maxKeys: 3, noNullPrototype: true }) },
);
// A key holds no ": " and no line break; "context" is the header's own.
const keyArb = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 16 })
  .filter((k) => !k.includes(': ') && !/[\r\n]/.test(k) && k !== 'context' && !k.endsWith(':') && !/[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(k));

describe('header lines round-trip', () => {
  test('key: pyRepr(value) lines parse back to the same values', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 8, noNullPrototype: true }), fc.constantFrom('\n', '\r\n'), (dict, eol) => {
        // HDR_SCHEMA keys are cast by pyifcb; keep them out of the round trip.
        const entries = Object.entries(dict).filter(([k]) => !/^(temperature|humidity|binarizeThreshold|scatteringPhotomultiplierSetting|fluorescencePhotomultiplierSetting|blobSizeThreshold)$/.test(k));
        const lines = entries.map(([k, v]) => `${k}: ${pyRepr(v)}`);
        const parsed = parseHeader(['SoftwareVersion: 2.0.0.0', ...lines].join(eol) + eol);
        // A line whose value itself holds ": " splits into 3+ parts and is dropped, as in pyifcb.
        const kept = entries.filter((_, i) => lines[i]!.split(': ').length === 2);
        assert.deepEqual(parsed, { context: 'SoftwareVersion: 2.0.0.0', ...Object.fromEntries(kept) });
      }),
      { numRuns: 400 },
    );
  });

  test('literalEval(pyRepr(v)) is v', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        assert.deepEqual(literalEval(pyRepr(v)), v);
      }),
      { numRuns: 1000 },
    );
  });
});

/** Mutations of a real file: truncation, byte flips, inserted garbage, huge numbers, negative values. */
function mutatedArb(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.integer({ min: 0, max: base.length }).map((n) => base.slice(0, n)),
    fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
      const copy = base.slice();
      copy[i] = b;
      return copy;
    }),
    fc
      .tuple(fc.integer({ min: 0, max: base.length }), fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(enc('9'.repeat(400)), enc('-1e999'), enc(',,,'), enc('\r'), enc('-'), enc('nan'), enc('\u00e9'))))
      .map(([i, junk]) => {
        const out = new Uint8Array(base.length + junk.length);
        out.set(base.subarray(0, i));
        out.set(junk, i);
        out.set(base.subarray(i), i + junk.length);
        return out;
      }),
  );
}

function onlyIfcbErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof IfcbError)) throw e;
    assert.ok(['ADC_MALFORMED_ROW', 'ADC_TOO_LARGE', 'HEADER_UNREADABLE'].includes(e.code), e.code);
  }
}

describe('arbitrary bytes only ever raise IfcbError', () => {
  const realAdc: Array<[Uint8Array, Schema]> = [
    [readFileSync(`${SAMPLE.A}.adc`), 1],
    [readFileSync(`${SAMPLE.B}.adc`), 2],
    [readFileSync(`${SAMPLE.D}.adc`), 2],
  ];
  const realHdr = [readFileSync(`${SAMPLE.A}.hdr`), readFileSync(`${SAMPLE.B}.hdr`), readFileSync(`${SAMPLE.C}.hdr`)];

  test('parseAdc: random bytes and mutated real files (3,000 cases)', () => {
    const started = Date.now();
    const arb = fc.tuple(
      fc.oneof(fc.uint8Array({ maxLength: 300 }), ...realAdc.map(([b]) => mutatedArb(b))),
      fc.constantFrom<Schema>(1, 2),
    );
    fc.assert(
      fc.property(arb, ([bytes, schema]) => onlyIfcbErrors(() => parseAdc(bytes, schema, 'fuzz.adc'))),
      { numRuns: 3000 },
    );
    assert.ok(Date.now() - started < 20_000, 'fuzzing took too long');
  });

  test('parseHeader(decodeHeader(bytes)) and literalEval never throw (2,000 + 2,000 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), ...realHdr.map((b) => mutatedArb(b))), (bytes) => {
        const h = parseHeader(decodeHeader(bytes));
        assert.equal(typeof h, 'object');
      }),
      { numRuns: 2000 },
    );
    const pyish = fc.array(fc.constantFrom('1', '0', '.', 'e', '-', '+', '_', 'x', 'j', '(', ')', '[', ']', '{', '}', ',', ':', "'", '"', '\\', 'r', 'b', 'True', 'None', 'set', ' ', '#', 'N{', 'u', '...'), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), pyish), (s) => {
        const v = literalEval(s);
        assert.ok(v === undefined || v === null || ['number', 'string', 'boolean', 'object'].includes(typeof v));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('stitching properties', () => {
  const imageArb = fc.record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }) }).chain(({ width, height }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      pixels: fc.uint8Array({ minLength: width * height, maxLength: width * height }),
      missing: fc.array(fc.boolean(), { minLength: width * height, maxLength: width * height }).map((a) => Uint8Array.from(a, Number)),
    }),
  );

  test('infill leaves no missing pixel and keeps every real one', () => {
    fc.assert(
      fc.property(imageArb, ({ width, height, pixels, missing }) => {
        const raw = { width, height, pixels: pixels.map((p, i) => (missing[i] ? 0 : p)), missing };
        const { pixels: out, fill } = infill(raw);
        assert.equal(out.length, width * height);
        const real = [...raw.pixels].filter((_, i) => !missing[i]);
        if (!missing.includes(1)) assert.equal(fill, null);
        else {
          assert.ok(fill !== null && Number.isInteger(fill) && fill >= 0 && fill <= 255);
          // The fill is a mean of real pixels (or 0 when the boundary holds none).
          if (fill !== 0) assert.ok(fill >= Math.min(...real) && fill <= Math.max(...real));
        }
        for (let i = 0; i < out.length; i++) assert.equal(out[i], missing[i] ? fill : raw.pixels[i]);
      }),
      { numRuns: 500 },
    );
  });

  test('rawStitch pastes the second part over the first, each at its box', () => {
    const partArb = fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }), width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) }).chain((b) =>
      fc.uint8Array({ minLength: b.width * b.height, maxLength: b.width * b.height }).map((pixels) => ({ ...b, pixels })),
    );
    fc.assert(
      fc.property(partArb, partArb, (a, b) => {
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        const pair: StitchPair = { target: 1, partner: 2, x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
        const raw = rawStitch(pair, a, b);
        for (let r = 0; r < pair.height; r++) {
          for (let c = 0; c < pair.width; c++) {
            const gx = x + c;
            const gy = y + r;
            const inside = (p: typeof a) => gx >= p.x && gx < p.x + p.width && gy >= p.y && gy < p.y + p.height;
            const i = r * pair.width + c;
            const expected = inside(b) ? b.pixels[(gy - b.y) * b.width + gx - b.x] : inside(a) ? a.pixels[(gy - a.y) * a.width + gx - a.x] : 0;
            assert.equal(raw.pixels[i], expected);
            assert.equal(raw.missing[i], inside(a) || inside(b) ? 0 : 1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('ROI columns of a schema match the spec table', () => {
    for (const schema of [1, 2] as const) {
      const names = schema === 1 ? SCHEMA_1_COLUMNS : SCHEMA_2_COLUMNS;
      const ix = roiColumnIndex(schema);
      assert.deepEqual([ix.trigger, ix.x, ix.y, ix.width, ix.height, ix.startByte].map((i) => names[i]), ['TRIGGER', 'ROI_X', 'ROI_Y', 'ROI_WIDTH', 'ROI_HEIGHT', 'START_BYTE']);
    }
  });
});
