/**
 * `.hdr` parsing (spec §2): the real sample headers, the three variants, Python `literal_eval` and the
 * pyifcb HDR_SCHEMA casts. Expected literal_eval results were produced by CPython 3.11 `ast.literal_eval`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SAMPLE } from '../../helpers/data.ts';
import { IfcbError } from '../../../shared/errors.ts';
import { HEADER_MAX_BYTES, decodeHeader, headerLookup, parseHeader } from '../../../main/ifcb/hdr.ts';
import { literalEval } from '../../../main/ifcb/python-literal.ts';
import type { HeaderValue, Headers } from '../../../main/ifcb/types.ts';

function readHeader(base: string): Headers {
  return parseHeader(decodeHeader(readFileSync(`${base}.hdr`), `${base}.hdr`));
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('real sample headers (spec §11, §8)', () => {
  // Whole-dict digests of JSON.stringify(headers); each dict was checked equal (keys, order, values, types)
  // to pyifcb's parse_hdr run under CPython on the same file.
  const expected = [
    ['A', 7, 'e3ab9835e7423aca11b42d34aa468ffdc617a1fa169ab60506939b728a788ecc'],
    ['B', 82, '5cfd8a709a346fc6b5bc5dd6f39424db90875fbe69d449331707da8505e7380b'],
    ['C', 117, '1122cbf1f01289ae35c1f8a9cae3aaa95da1f633a13abe59d47a46e678189ae7'],
    ['D', 123, '3a510374c11053e5da0d0925f5eec07dee9121372e939523e3146102c9824485'],
    ['E', 7, 'e3ab9835e7423aca11b42d34aa468ffdc617a1fa169ab60506939b728a788ecc'],
    ['emptyV1', 7, 'e8852f1b250144f470dc5cc7cf86458f546960ae94cb3bf3679c2f4dbf821138'],
    ['emptyV2', 99, 'ec2307987a16992d75e69faee5f60f1ec72ba7d80753de9b5961366ecbc9cfec'],
  ] as const;
  for (const [bin, keys, digest] of expected) {
    test(`${bin}: ${keys} keys, whole dict as pyifcb`, () => {
      const h = readHeader(SAMPLE[bin]);
      assert.equal(Object.keys(h).length, keys);
      assert.equal(sha(JSON.stringify(h)), digest);
    });
  }

  test('A (old schema-1 header): context and the 6 typed values', () => {
    assert.deepEqual(readHeader(SAMPLE.A), {
      context:
        'Imaging FlowCytobot Acquisition Software version 1.0; October 2005\nHeidi M. Sosik and Robert J. Olson\nWoods Hole Oceanographic Institution\nSyringeStatus =  0',
      temperature: 11.4799732421875,
      humidity: 32.167437512207,
      binarizeThreshold: 30,
      scatteringPhotomultiplierSetting: 0.675,
      fluorescencePhotomultiplierSetting: 0.6,
      blobSizeThreshold: 10,
    });
  });

  test('B: typed values, trailing tabs stripped, lines without exactly one ": " dropped', () => {
    const h = readHeader(SAMPLE.B);
    assert.equal(h['context'], 'softwareVersion: Imaging FlowCytobot Acquisition Software version 2.0, build 380; May 2010');
    assert.equal(h['KloehnPort'], 'COM3');
    assert.equal(h['laserMotorSmallStep_ms'], 1000);
    assert.equal(h['blobXgrowAmount'], 20);
    assert.equal(h['temperature'], 35.270397);
    assert.equal(h['humidity'], 2.48685);
    assert.equal(h['runTime'], 1231.024861);
    assert.equal(h['inhibitTime'], 11.62298);
    assert.equal(h['sampleTime'], '2013-05-26T09:52:07Z');
    assert.equal(h['DataFilePath'], 'c:/Data');
    assert.equal(typeof h['ADCFileFormat'], 'string');
    assert.ok(String(h['ADCFileFormat']).startsWith('trigger#, ADC_time, PMTA'));
    for (const k of Object.keys(h)) {
      assert.ok(!/firmware version|syringe number/.test(k), `dropped line kept as key ${k}`);
    }
  });

  test('C and D: runTime / inhibitTime / temperature / humidity', () => {
    const c = readHeader(SAMPLE.C);
    assert.equal(c['context'], 'SoftwareVersion: 2.0.0.0');
    assert.equal(c['runTime'], 715.6575);
    assert.equal(c['inhibitTime'], 0.15215060763888888);
    assert.equal(c['temperature'], 19.940374608987575);
    assert.equal(c['humidity'], 53.2310231174182);
    assert.equal(c['sampleType'], 'Normal');
    assert.equal(c['triggerCount'], 3);
    assert.equal(c['roiCount'], 2);
    const d = readHeader(SAMPLE.D);
    assert.equal(d['runTime'], 1186.8013888888888);
    assert.equal(d['inhibitTime'], 3.2460850694444443);
  });

  test('§8: empty bins keep their headers; zero-byte headers parse to {}', () => {
    const v2 = readHeader(SAMPLE.emptyV2);
    assert.equal(v2['runTime'], 0.621083);
    assert.equal(v2['inhibitTime'], 0.037422);
    assert.equal(readHeader(SAMPLE.emptyV1)['temperature'], 13.3652795166016);
    assert.deepEqual(readHeader(SAMPLE.invalid), {});
    assert.deepEqual(readHeader(SAMPLE.skip), {});
    assert.deepEqual(parseHeader(''), {});
  });

  test('headerLookup is case-insensitive; the last case variant wins (CaseInsensitiveDict)', () => {
    const h = readHeader(SAMPLE.B);
    assert.equal(headerLookup(h, 'runtime'), 1231.024861);
    assert.equal(headerLookup(h, 'INHIBITTIME'), 11.62298);
    assert.equal(headerLookup(h, 'noSuchKey'), undefined);
    assert.equal(headerLookup({ a: 1, A: 2 }, 'a'), 2);
  });
});

describe('header variants', () => {
  test('a) key: value — split on every ": ", duplicates overwrite, failed literals stay strings', () => {
    const text = [
      'SoftwareVersion: 2.0.0.0',
      'a: 1',
      'b: two: parts',
      'no separator here',
      'c:no space',
      'a: 2',
      'port: /dev/ttyS2',
      'lead: 01',
      'list: [1, 2.5, True, None]',
      ': emptykey',
      'emptyvalue: ', // rstripped to 'emptyvalue:': no ": " left, dropped
      'tuple: 1, 2',
      'crlf: 7\r',
    ].join('\r\n');
    assert.deepEqual(parseHeader(text), {
      context: 'SoftwareVersion: 2.0.0.0',
      a: 2,
      port: '/dev/ttyS2',
      lead: '01',
      list: [1, 2.5, true, null],
      '': 'emptykey',
      tuple: [1, 2],
      crlf: 7,
    });
  });

  test('a) line 1 may be softwareVersion or SoftwareVersion; anything else is the old variant', () => {
    assert.deepEqual(parseHeader('softwareVersion: x\nk: 5\n'), { context: 'softwareVersion: x', k: 5 });
    assert.deepEqual(parseHeader('SOFTWAREVERSION: x\nk: 5\n'), { context: '' });
  });

  test('a) HDR_SCHEMA keys are cast with Python float()/int() as pyifcb does', () => {
    const h = parseHeader(
      ['SoftwareVersion: 1', 'temperature: 20', 'humidity: True', 'binarizeThreshold: 8.9', 'blobSizeThreshold: 08', 'scatteringPhotomultiplierSetting: nan', "fluorescencePhotomultiplierSetting: 'x'"].join('\n'),
    );
    assert.equal(h['temperature'], 20);
    assert.equal(h['humidity'], 1);
    assert.equal(h['binarizeThreshold'], 8); // int(8.9) truncates
    assert.equal(h['blobSizeThreshold'], 8); // literal_eval('08') fails, int('08') == 8
    assert.ok(Number.isNaN(h['scatteringPhotomultiplierSetting']));
    assert.equal(h['fluorescencePhotomultiplierSetting'], 'x'); // float('x') raises in pyifcb; kept as is
  });

  test('b) old quoted header: context = all lines but the last two; values zip over the 6 names', () => {
    const six = ['"L1"', '"L2"', '"L3"', '"L4"', '"names"', '" 1.5"," 2","3"," .25"," -.5"," 07"'].join('\n');
    assert.deepEqual(parseHeader(six), {
      context: 'L1\nL2\nL3\nL4',
      temperature: 1.5,
      humidity: 2,
      binarizeThreshold: 3,
      scatteringPhotomultiplierSetting: 0.25,
      fluorescencePhotomultiplierSetting: -0.5,
      blobSizeThreshold: 7,
    });
    // Fewer values than names: only those present; fewer than 6 lines: context only.
    assert.deepEqual(parseHeader(['"a"', '"b"', '"c"', '"d"', '"n"', '"9.5"'].join('\n')), { context: 'a\nb\nc\nd', temperature: 9.5 });
    assert.deepEqual(parseHeader('"only"\n"two"\n"three"\n'), { context: 'only' });
    assert.deepEqual(parseHeader('\n'), { context: '' });
    // A value int() cannot read stays a string (pyifcb would raise).
    assert.equal(parseHeader(['1', '2', '3', '4', '5', '1,2,3.5'].join('\n'))['binarizeThreshold'], '3.5');
  });

  test('c) "version 2.0; May 2010" alternate: only run/inhibit time and temperature/humidity', () => {
    const alt = [
      'Imaging FlowCytobot Acquisition Software version 2.0; May 2010',
      'Sample Date 05/26/2010 10:11:12',
      'something else: 5',
      'run time = 1200.5 s  inhibit time = 12.25',
      '21.5 temperature,  40.125 humidity',
    ].join('\n');
    assert.deepEqual(parseHeader(alt), { runTime: 1200.5, inhibitTime: 12.25, temperature: 21.5, humidity: 40.125 });
    // Without "Sample Date" on line 2: context only.
    assert.deepEqual(parseHeader('Imaging FlowCytobot Acquisition Software version 2.0; May 2010\nfoo: 1\nrun time = 1 s  inhibit time = 2'), {
      context: 'Imaging FlowCytobot Acquisition Software version 2.0; May 2010',
    });
    assert.deepEqual(parseHeader('Imaging FlowCytobot Acquisition Software version 2.0; May 2010'), {
      context: 'Imaging FlowCytobot Acquisition Software version 2.0; May 2010',
    });
  });

  test('line endings: LF, CRLF and lone CR (universal newlines); Python rstrip set', () => {
    const expected = { context: 'SoftwareVersion: 1', a: 1, b: 'x' };
    assert.deepEqual(parseHeader('SoftwareVersion: 1\na: 1\nb: x\n'), expected);
    assert.deepEqual(parseHeader('SoftwareVersion: 1\r\na: 1\r\nb: x\r\n'), expected);
    assert.deepEqual(parseHeader('SoftwareVersion: 1\ra: 1\rb: x'), expected);
    assert.deepEqual(parseHeader('SoftwareVersion: 1\t \na: 1\x1f\nb: x\u3000'), expected);
    // U+FEFF is not Python whitespace: it stays part of the value.
    assert.equal(parseHeader('SoftwareVersion: 1\nb: x\ufeff')['b'], 'x\ufeff');
  });
});

describe('decodeHeader', () => {
  test('UTF-8 when valid (BOM dropped), Latin-1 otherwise', () => {
    assert.equal(decodeHeader(new TextEncoder().encode('a: é')), 'a: é');
    assert.equal(decodeHeader(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
    assert.equal(decodeHeader(new Uint8Array([0x61, 0xe9, 0x80, 0xff])), 'a\u00e9\u0080\u00ff');
    assert.equal(decodeHeader(new Uint8Array(0)), '');
  });

  test('an absurdly large header is HEADER_UNREADABLE naming the file', () => {
    const big = new Uint8Array(HEADER_MAX_BYTES + 1);
    assert.throws(
      () => decodeHeader(big, '/x/D20130526T095207_IFCB013.hdr'),
      (e: unknown) => e instanceof IfcbError && e.code === 'HEADER_UNREADABLE' && e.message.includes('/x/D20130526T095207_IFCB013.hdr'),
    );
  });
});

// [source, literal_eval result] — undefined where CPython 3.11 raises (or the value has no JSON form).
const LITERALS: ReadonlyArray<readonly [string, HeaderValue | undefined]> = [
  ["45", 45],
  ["0.65", 0.65],
  ["1e5", 100000],
  ["True", true],
  ["False", false],
  ["None", null],
  ["'x'", "x"],
  ["[1, 2]", [1, 2]],
  ["2.0.0.0", undefined],
  ["/dev/ttyS2", undefined],
  ["Normal", undefined],
  ["2013-05-26T09:52:07Z", undefined],
  ["01", undefined],
  ["00", 0],
  ["0_0", 0],
  ["0_7", undefined],
  ["1__0", undefined],
  ["1_", undefined],
  ["-0", 0],
  ["-0.0", -0],
  ["+5", 5],
  ["--5", undefined],
  ["- 5", -5],
  ["-(5)", -5],
  ["-(-5)", undefined],
  ["-True", undefined],
  ["(1)", 1],
  ["((1))", 1],
  ["(-1)", -1],
  ["1,", [1]],
  ["1, 2", [1, 2]],
  ["()", []],
  ["(,)", undefined],
  ["[,]", undefined],
  ["[1,]", [1]],
  ["{}", {  }],
  ["{1:2,}", { "1": 2 }],
  ["{1: 2, 1.0: 3, True: 4}", { "1": 4 }],
  ["{'a': [1, {'b': None}]}", { "a": [1, { "b": null }] }],
  ["{(1, 2): 3}", undefined],
  ["{[1]: 2}", undefined],
  ["{{1}}", undefined],
  ["set([1])", undefined],
  ["1+2j", undefined],
  ["1j", undefined],
  ["1e5j", undefined],
  ["inf", undefined],
  ["nan", undefined],
  ["1.", 1],
  ["1..2", undefined],
  [".5", 0.5],
  [".e5", undefined],
  ["1e", undefined],
  ["1e+", undefined],
  ["1e-5", 1e-05],
  ["1E+05", 100000],
  ["01.5", 1.5],
  ["01e5", 100000],
  ["0x1F", 31],
  ["0X1f", 31],
  ["0x_1f", 31],
  ["0o17", 15],
  ["0o8", undefined],
  ["0b101", 5],
  ["0b12", undefined],
  ["0x", undefined],
  ["'a' 'b'", "ab"],
  ["'a' b'b'", undefined],
  ["b'a'", undefined],
  ["f'a'", undefined],
  ["u'a'", "a"],
  ["U'a'", "a"],
  ["r'a\\b'", "a\\b"],
  ["R'\\''", "\\'"],
  ["rb'a'", undefined],
  ["'''a'b'''", "a'b"],
  ["\"\"\"x\"\"\"", "x"],
  ["'\\x41'", "A"],
  ["'\\x4'", undefined],
  ["'\\101'", "A"],
  ["'\\8'", "\\8"],
  ["'\\q'", "\\q"],
  ["'\\u00e9'", "é"],
  ["'\\U0001F600'", "😀"],
  ["'\\U00110000'", undefined],
  ["'\\'", undefined],
  ["'a", undefined],
  ["'\\t\\n\\r\\a\\b\\f\\v\\0'", "\t\n\r\u0007\b\f\u000b\u0000"],
  ["5 # comment", 5],
  ["# only", undefined],
  ["  7", 7],
  ["\t7", 7],
  ["7  ", 7],
  ["1 2", undefined],
  ["[1 2]", undefined],
  ["...", undefined],
  ["Ellipsis", undefined],
  ["1 if 1 else 2", undefined],
  ["not 1", undefined],
  ["~1", undefined],
  ["1*2", undefined],
  ["[1][0]", undefined],
  ["{'a':1}['a']", undefined],
  ["(1,2)[0]", undefined],
  ["1.5.real", undefined],
  ["1if 1else 2", undefined],
  ["3.14159265358979323846", 3.141592653589793],
  ["123456789012345678901234567890", 1.2345678901234568e+29],
  ["-9007199254740993", -9007199254740992],
  ["1e-400", 0],
  ["-1e400", -Infinity],
  ["0e0", 0],
  ["00.0", 0],
  ["1_000.5e1_0", 10005000000000],
  ["'é'", "é"],
  ["'\\xff'", "ÿ"],
  ["{'k': 1, 'k': 2}", { "k": 2 }],
  ["[[[[[]]]]]", [[[[[]]]]]],
  ["(((1,),),)", [[[1]]]],
  ["{1: {2: {3: 4}}}", { "1": { "2": { "3": 4 } } }],
  ["'a' # c", "a"],
  ["\f5", 5],
  ["5\f", 5],
  ["{1.5: 0}", { "1.5": 0 }],
  ["{-0.0: 1}", { "-0.0": 1 }],
  ["{1e16: 1, 1e-5: 2, 0.1: 3, 123.0: 4}", { "1e+16": 1, "1e-05": 2, "0.1": 3, "123.0": 4 }],
  ["{None: 1, False: 2}", { "null": 1, "false": 2 }],
  ["+]n", undefined],
  ["_", undefined],
  ["5)b00#", undefined],
  ["01.", 1],
  ["{_0b.", undefined],
  ["}00re0o", undefined],
  ["\\b00rb]", undefined],
  ["0o", undefined],
];

describe('literalEval (CPython ast.literal_eval)', () => {
  test(`${LITERALS.length} cases agree with CPython`, () => {
    for (const [src, expected] of LITERALS) {
      const got = literalEval(src);
      assert.deepEqual(got, expected, `literal_eval(${JSON.stringify(src)})`);
      if (typeof expected === 'number') assert.ok(Object.is(got, expected), `sign of zero for ${src}`);
    }
  });

  test('a sign applies only to a bare number constant', () => {
    assert.equal(literalEval('+(5)'), 5);
    assert.equal(literalEval('-((5))'), -5);
    for (const src of ['+(+5)', '-(+5)', '+(-5)', '-(-5)', '-True', "-'a'", '-[1]']) assert.equal(literalEval(src), undefined, src);
  });

  test('sets dedupe by Python equality (1 == 1.0 == True), keeping the first', () => {
    assert.deepEqual(literalEval('{1, 1.0, True, 2}'), [1, 2]);
    assert.deepEqual(literalEval('{True, 1}'), [true]);
    assert.deepEqual(literalEval('{(1, 2), (1, 2)}'), [[1, 2]]);
    assert.equal(literalEval('{[1]}'), undefined); // unhashable: TypeError
  });

  test('dict keys are written as json.dumps writes them', () => {
    assert.deepEqual(literalEval('{1e16: 1, 1e-5: 2, 0.1: 3, 123.0: 4, None: 5, False: 6, -0.0: 7}'), {
      '1e+16': 1,
      '1e-05': 2,
      '0.1': 3,
      '123.0': 4,
      null: 5,
      false: 7, // -0.0 == False: the first key's spelling, the last value
    });
    assert.equal(literalEval('{(1, 2): 3}'), undefined);
  });

  test('limits: no null bytes, \\N{...} escapes unsupported, 4300-digit integers', () => {
    assert.equal(literalEval('1\u00002'), undefined);
    assert.equal(literalEval("'\\N{EM DASH}'"), undefined);
    assert.equal(literalEval('9'.repeat(4300)), Number('9'.repeat(4300)));
    assert.equal(literalEval('9'.repeat(4301)), undefined);
    assert.equal(literalEval('0x' + 'f'.repeat(5000)), Infinity);
  });
});

describe('header values past the bounds (HEADER_TOO_COMPLEX, never a stack overflow)', () => {
  const nest = (n: number, open = '[', close = ']') => open.repeat(n) + close.repeat(n);
  const codeAndDetails = (fn: () => unknown): [string, Record<string, unknown> | undefined] => {
    try {
      fn();
    } catch (e) {
      return e instanceof IfcbError ? [e.code, e.details] : [`raw ${String(e)}`, undefined];
    }
    return ['no error', undefined];
  };

  test('200 levels deep parse as CPython does; 201 and 2,000 are refused with the line and file', () => {
    let expected: HeaderValue = [];
    for (let i = 1; i < 200; i++) expected = [expected];
    assert.deepEqual(literalEval(nest(200)), expected);
    assert.deepEqual(literalEval(`(${nest(199, '{', '}')},)`), undefined, 'a set of dicts is a TypeError in Python, at any depth up to the bound');
    for (const [open, close] of [['[', ']'], ['(', ')'], ['{', '}']]) {
      assert.deepEqual(codeAndDetails(() => literalEval(nest(201, open, close))), ['HEADER_TOO_COMPLEX', { limit: 200 }], open);
    }
    const text = `softwareVersion: 1\nok: 5\ndeep: ${nest(2000)}\n`;
    assert.deepEqual(codeAndDetails(() => parseHeader(text, '/data/D20130526T095207_IFCB013.hdr')), [
      'HEADER_TOO_COMPLEX',
      { limit: 200, line: 3, path: '/data/D20130526T095207_IFCB013.hdr' },
    ]);
  });

  test('a value longer than 64 KiB is refused before it is tokenized', () => {
    const long = `[${'1,'.repeat(40_000)}1]`;
    assert.deepEqual(codeAndDetails(() => literalEval(long)), ['HEADER_TOO_COMPLEX', { length: long.length, limit: 65_536 }]);
    assert.equal((literalEval(`[${'1,'.repeat(30_000)}1]`) as number[]).length, 30_001);
  });
});
