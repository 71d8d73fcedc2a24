/**
 * Python's `ast.literal_eval` for one `.hdr` value (pyifcb evaluates every `key: value` line with it), as
 * CPython 3 does it, value for value: a tokenizer, a recursive-descent parser of the literal grammar, and the
 * conversion to JSON-able header values. Nesting is bounded where CPython's tokenizer stops (200 levels), and values
 * are bounded in length, so a hostile header cannot overflow the stack or take the reader's memory
 * (HEADER_TOO_COMPLEX). Pure: no I/O.
 */
import { IfcbError } from '../../shared/errors.ts';
import type { HeaderValue } from './types.ts';

/** `obj[key] = value` that also works for a key named `__proto__` (a header may contain anything). */
export function setOwn(obj: { [key: string]: HeaderValue }, key: string, value: HeaderValue): void {
  // Only `__proto__` needs defineProperty (assignment would set the prototype); using it for every key
  // pushed 100-key headers into slow dictionary mode.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}


/** A parsed Python literal, before conversion to a HeaderValue. Ints stay exact as bigint. */
type Py =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'str'; v: string }
  | { t: 'tuple' | 'list' | 'set'; items: Py[] }
  | { t: 'dict'; entries: Array<[Py, Py]> };

/** Thrown inside the parser for anything `literal_eval` rejects (ValueError, SyntaxError, TypeError). */
// Not an Error on purpose: most header values (`COM3`, `c:/Data`, `2.0.0.0`) are not literals, and
// capturing a stack trace for each made header parsing the catalogue's hot spot.
class NotLiteral {
  constructor(readonly message: string) {}
}

type Tok =
  | { k: 'num'; py: Py }
  | { k: 'str'; v: string }
  | { k: 'name'; v: string }
  | { k: 'op'; v: string }
  | { k: 'end' };

/** Deepest bracket nesting accepted: as deep as CPython's tokenizer goes (201 levels: "too many nested parentheses"). */
export const MAX_LITERAL_NESTING = 200;
/** Longest value evaluated (real header values are a few dozen characters; a 16 MB one would cost ~1 GB of tokens). */
export const MAX_LITERAL_LENGTH = 64 * 1024;

function tooComplex(message: string, details: Record<string, unknown>): IfcbError {
  return new IfcbError('HEADER_TOO_COMPLEX', message, details);
}

const OPS = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '-', '+']);
// Python 3.11 refuses to convert decimal integer literals longer than this (sys.int_info.str_digits_check_threshold).
const INT_MAX_DIGITS = 4300;

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
    } else if (c === '#') {
      break; // a comment runs to the end of the (single) line
    } else if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(src[i + 1]!))) {
      i = readNumber(src, i, toks);
    } else if (c === '.' && src.startsWith('...', i)) {
      throw new NotLiteral('Ellipsis has no header representation');
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      const word = src.slice(i, j);
      if (j < n && (src[j] === '"' || src[j] === "'") && /^(?:[rRuUbBfF]|[bBfF][rR]|[rR][bBfF])$/.test(word)) {
        i = readString(src, j, word.toLowerCase(), toks);
      } else {
        toks.push({ k: 'name', v: word });
        i = j;
      }
    } else if (c === '"' || c === "'") {
      i = readString(src, i, '', toks);
    } else if (OPS.has(c)) {
      toks.push({ k: 'op', v: c });
      i++;
    } else {
      throw new NotLiteral(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  toks.push({ k: 'end' });
  return toks;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

const NUMBER_RES: ReadonlyArray<readonly [RegExp, 'hex' | 'oct' | 'bin' | 'dec' | 'float']> = [
  [/^0[xX](?:_?[0-9a-fA-F])+/, 'hex'],
  [/^0[oO](?:_?[0-7])+/, 'oct'],
  [/^0[bB](?:_?[01])+/, 'bin'],
  // float: digitpart "." [digitpart] | [digitpart] "." digitpart | digitpart, then an exponent
  [/^(?:\d(?:_?\d)*\.(?:\d(?:_?\d)*)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|^\d(?:_?\d)*[eE][+-]?\d(?:_?\d)*/, 'float'],
  [/^(?:[1-9](?:_?\d)*|0(?:_?0)*)/, 'dec'],
];

function readNumber(src: string, i: number, toks: Tok[]): number {
  const rest = src.slice(i);
  for (const [re, kind] of NUMBER_RES) {
    const m = re.exec(rest);
    if (!m) continue;
    const text = m[0];
    const end = i + text.length;
    const next = src[end];
    // `1j` is complex (no header representation); `01`, `1_`, `0x1g`, `1abc` are SyntaxErrors.
    if (next !== undefined && /[0-9A-Za-z_.]/.test(next)) throw new NotLiteral(`bad number ${text}${next}`);
    const digits = text.replace(/_/g, '');
    let py: Py;
    if (kind === 'float') {
      py = { t: 'float', v: Number(digits) };
    } else if (kind === 'dec') {
      if (digits.length > INT_MAX_DIGITS) throw new NotLiteral('integer literal too long');
      py = { t: 'int', v: BigInt(digits) };
    } else {
      py = { t: 'int', v: BigInt(digits) }; // BigInt() reads 0x/0o/0b prefixes itself
    }
    toks.push({ k: 'num', py });
    return end;
  }
  throw new NotLiteral('bad number');
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function readString(src: string, i: number, prefix: string, toks: Tok[]): number {
  // Bytes and f-strings have no header representation (f-strings are not literals at all).
  if (prefix.includes('b') || prefix.includes('f')) throw new NotLiteral('bytes/f-string');
  const raw = prefix.includes('r');
  const q = src[i]!;
  const triple = src.startsWith(q.repeat(3), i);
  const delim = triple ? q.repeat(3) : q;
  let j = i + delim.length;
  let body = '';
  for (;;) {
    if (j >= src.length) throw new NotLiteral('unterminated string');
    if (src.startsWith(delim, j)) {
      j += delim.length;
      break;
    }
    const c = src[j]!;
    if (c !== '\\') {
      body += c;
      j++;
      continue;
    }
    const e = src[j + 1];
    if (e === undefined) throw new NotLiteral('unterminated string');
    if (raw) {
      body += c + e; // in raw strings a backslash only keeps the next quote from ending the string
      j += 2;
      continue;
    }
    j += 2;
    if (Object.hasOwn(SIMPLE_ESCAPES, e)) {
      body += SIMPLE_ESCAPES[e]!;
    } else if (e >= '0' && e <= '7') {
      let oct = e;
      while (oct.length < 3 && j < src.length && src[j]! >= '0' && src[j]! <= '7') oct += src[j++]!;
      body += String.fromCharCode(parseInt(oct, 8));
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = src.slice(j, j + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotLiteral('truncated escape');
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new NotLiteral('escape out of range');
      body += cp > 0xffff ? String.fromCodePoint(cp) : String.fromCharCode(cp);
      j += len;
    } else if (e === 'N') {
      throw new NotLiteral('\\N{name} escapes need the Unicode name database');
    } else {
      body += c + e; // unknown escapes keep their backslash (Python warns, does not fail)
    }
  }
  toks.push({ k: 'str', v: body });
  return j;
}

/** A parsed expression and whether it is a bare constant node (parentheses add no node in Python's AST). */
interface Node {
  py: Py;
  constant: boolean;
}

class Parser {
  private pos = 0;
  /** Open brackets around the current position: bounds the recursion (a 2,000-deep list overflowed the stack). */
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private nested<T>(parse: () => T): T {
    if (++this.depth > MAX_LITERAL_NESTING) {
      throw tooComplex(`a header value nests brackets more than ${MAX_LITERAL_NESTING} deep`, { limit: MAX_LITERAL_NESTING });
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private peek(): Tok {
    return this.toks[this.pos]!;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === v;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new NotLiteral(`expected ${v}`);
    this.pos++;
  }

  /** eval-mode body: `expr (',' expr)* [',']`, a bare comma list being a tuple. */
  top(): Py {
    const first = this.expr().py;
    let result = first;
    if (this.isOp(',')) {
      const items = [first];
      while (this.isOp(',')) {
        this.pos++;
        if (this.peek().k === 'end') break;
        items.push(this.expr().py);
      }
      result = { t: 'tuple', items };
    }
    if (this.peek().k !== 'end') throw new NotLiteral('trailing input');
    return result;
  }

  private expr(): Node {
    const node = this.unary();
    // `a + b` / `a - b` are literals only as complex numbers, which a header cannot hold.
    if (this.isOp('+') || this.isOp('-')) throw new NotLiteral('binary operation');
    return node;
  }

  private unary(): Node {
    if (!this.isOp('-') && !this.isOp('+')) return this.atom();
    const negate = this.isOp('-');
    this.pos++;
    const { py, constant } = this.atom();
    // literal_eval signs only a plain int/float constant: not a bool, not another unary operation.
    if (!constant || (py.t !== 'int' && py.t !== 'float')) throw new NotLiteral('bad unary operand');
    if (!negate) return { py, constant: false };
    return { py: py.t === 'int' ? { t: 'int', v: -py.v } : { t: 'float', v: -py.v }, constant: false };
  }

  private atom(): Node {
    const t = this.peek();
    this.pos++;
    switch (t.k) {
      case 'num':
        return { py: t.py, constant: true };
      case 'str': {
        let v = t.v;
        for (let next = this.peek(); next.k === 'str'; next = this.peek()) {
          v += next.v; // implicit concatenation: 'a' "b" == 'ab'
          this.pos++;
        }
        return { py: { t: 'str', v }, constant: true };
      }
      case 'name':
        if (t.v === 'True' || t.v === 'False') return { py: { t: 'bool', v: t.v === 'True' }, constant: true };
        if (t.v === 'None') return { py: { t: 'none' }, constant: true };
        if (t.v === 'set' && this.isOp('(')) {
          this.pos++;
          this.expectOp(')');
          return { py: { t: 'set', items: [] }, constant: false };
        }
        throw new NotLiteral(`name ${t.v}`);
      case 'op':
        if (t.v === '(') return this.nested(() => this.parens());
        if (t.v === '[') return this.nested(() => ({ py: { t: 'list', items: this.sequence(']') }, constant: false }));
        if (t.v === '{') return this.nested(() => ({ py: this.braces(), constant: false }));
        throw new NotLiteral(`unexpected ${t.v}`);
      case 'end':
        throw new NotLiteral('unexpected end');
    }
  }

  private parens(): Node {
    if (this.isOp(')')) {
      this.pos++;
      return { py: { t: 'tuple', items: [] }, constant: false };
    }
    const first = this.expr();
    if (this.isOp(')')) {
      this.pos++;
      return first; // `(5)` is the constant 5 itself
    }
    const items = [first.py];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp(')')) break;
      items.push(this.expr().py);
    }
    this.expectOp(')');
    return { py: { t: 'tuple', items }, constant: false };
  }

  private sequence(close: string): Py[] {
    const items: Py[] = [];
    while (!this.isOp(close)) {
      items.push(this.expr().py);
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(close)) throw new NotLiteral(`expected , or ${close}`);
    }
    this.pos++;
    return items;
  }

  private braces(): Py {
    if (this.isOp('}')) {
      this.pos++;
      return { t: 'dict', entries: [] };
    }
    const first = this.expr().py;
    if (this.isOp(':')) {
      this.pos++;
      const entries: Array<[Py, Py]> = [[first, this.expr().py]];
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp('}')) break;
        const k = this.expr().py;
        this.expectOp(':');
        entries.push([k, this.expr().py]);
      }
      this.expectOp('}');
      return { t: 'dict', entries };
    }
    const items = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp('}')) break;
      items.push(this.expr().py);
    }
    this.expectOp('}');
    return { t: 'set', items };
  }
}

/** Python hash-equality key (1 == 1.0 == True, 0 == -0.0); throws for unhashable values (TypeError in Python). */
function hashKey(p: Py): string {
  switch (p.t) {
    case 'int':
      return `n:${p.v.toString()}`;
    case 'float':
      return `n:${Number.isInteger(p.v) ? BigInt(p.v).toString() : String(p.v)}`;
    case 'bool':
      return `n:${p.v ? 1 : 0}`;
    case 'none':
      return 'N';
    case 'str':
      return `s:${p.v}`;
    case 'tuple':
      return `t:[${p.items.map(hashKey).join(',')}]`;
    default:
      throw new NotLiteral('unhashable');
  }
}

/** Python `repr(float)` as json.dumps writes float dict keys. */
function pyFloatKey(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mant, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${sign}${mant}e${e}`;
}

/** A dict key as json.dumps would write it (the keys pyifcb's exports would show). */
function jsonKey(p: Py): string {
  switch (p.t) {
    case 'str':
      return p.v;
    case 'int':
      return p.v.toString();
    case 'float':
      return pyFloatKey(p.v);
    case 'bool':
      return p.v ? 'true' : 'false';
    case 'none':
      return 'null';
    default:
      throw new NotLiteral('dict key has no JSON form');
  }
}

function toHeaderValue(p: Py): HeaderValue {
  switch (p.t) {
    case 'int':
      return Number(p.v); // -0n does not exist, so `-0` is 0 as in Python
    case 'float':
    case 'bool':
    case 'str':
      return p.v;
    case 'none':
      return null;
    case 'tuple':
    case 'list':
      return p.items.map(toHeaderValue);
    case 'set': {
      // Sets dedupe by Python equality, keeping the first element; order is insertion order.
      const seen = new Set<string>();
      const out: HeaderValue[] = [];
      for (const item of p.items) {
        const key = hashKey(item);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(toHeaderValue(item));
      }
      return out;
    }
    case 'dict': {
      // Equal keys (1, 1.0, True) collapse: the first key's spelling, the last value.
      const slots = new Map<string, [string, HeaderValue]>();
      for (const [k, v] of p.entries) {
        const hk = hashKey(k);
        const value = toHeaderValue(v);
        const slot = slots.get(hk);
        if (slot) slot[1] = value;
        else slots.set(hk, [jsonKey(k), value]);
      }
      const out: { [key: string]: HeaderValue } = {};
      for (const [key, value] of slots.values()) setOwn(out, key, value);
      return out;
    }
  }
}

const PLAIN_INT = /^(?:0|-?[1-9]\d{0,14})$/; // no leading zeros (`01` is a SyntaxError); `-0` (int 0 in Python) takes the full path
const PLAIN_FLOAT = /^-?\d{1,15}\.\d{1,15}$/;
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/; // a name that is not True/False/None is never a literal

/**
 * Python `ast.literal_eval(s)` for a header value: ints, floats, True/False/None, strings (with escapes,
 * prefixes, implicit concatenation), lists, tuples, sets, dicts, unary +/-, `set()`. Undefined where
 * Python raises — and also for literals JSON cannot hold (complex, bytes, Ellipsis, `\N{…}` escapes,
 * dict keys that are tuples) — so the caller keeps the raw string, as pyifcb does on failure.
 * HEADER_TOO_COMPLEX beyond MAX_LITERAL_NESTING or MAX_LITERAL_LENGTH.
 */
export function literalEval(s: string): HeaderValue | undefined {
  if (s.length > MAX_LITERAL_LENGTH) {
    throw tooComplex(`a header value is ${s.length} characters long; values up to ${MAX_LITERAL_LENGTH} are read`, { length: s.length, limit: MAX_LITERAL_LENGTH });
  }
  // Fast paths for the values nearly every header line holds; same results as the full parser.
  if (PLAIN_INT.test(s) || PLAIN_FLOAT.test(s)) return Number(s);
  if (BARE_NAME.test(s) && s !== 'True' && s !== 'False' && s !== 'None') return undefined;
  if (s.includes('\0')) return undefined; // "source code string cannot contain null bytes"
  try {
    // Leading spaces/tabs need no special case: literal_eval lstrips them, and the tokenizer skips them.
    return toHeaderValue(new Parser(tokenize(s)).top());
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}
