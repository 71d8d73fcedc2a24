/**
 * renderer/lib/class-colours.ts: every chip's text reaches WCAG 4.5:1 in both themes (contrast computed here from the
 * hex colours by the WCAG 2 formula), the first classes of a real classifier's list get distinct colours, and a class
 * keeps its colour as more classes arrive.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PALETTE_SIZE, assignSlots, classColour, preferredSlot, slotColour } from '../../../renderer/lib/class-colours.ts';
import { loadClassScores } from '../../../main/products/load.ts';
import { findProducts } from '../../../main/products/discover.ts';
import { product } from '../products/paths.ts';

/** WCAG 2.x contrast of two #rrggbb colours, written out independently of the module. */
function wcag(a: string, b: string): number {
  const lum = (hex: string) => {
    const c = [1, 3, 5].map((i) => {
      const v = parseInt(hex.slice(i, i + 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Distance of two #rrggbb colours in sRGB units (0–441). */
function distance(a: string, b: string): number {
  const c = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const [x, y] = [c(a), c(b)];
  return Math.hypot(x[0]! - y[0]!, x[1]! - y[1]!, x[2]! - y[2]!);
}

/** The 51 class names of the WHOI v3 file, in the classifier's order. */
function realClasses(): string[] {
  const [file] = findProducts('D20141117T234033_IFCB102', product('class-scores'), []).filter((f) => f.kind === 'class-h5');
  return loadClassScores(file!, { binId: 'D20141117T234033_IFCB102', imageTargets: [] }).classes;
}

test('every chip: its text on its background is at least 4.5:1, in the light and the dark theme', () => {
  const seen: number[] = [];
  for (let slot = 0; slot < PALETTE_SIZE; slot++) {
    const c = slotColour(slot);
    const light = wcag(c.light.background, c.light.text);
    const dark = wcag(c.dark.background, c.dark.text);
    assert.ok(light >= 4.5, `slot ${slot} light: ${c.light.background} on ${c.light.text} = ${light}`);
    assert.ok(dark >= 4.5, `slot ${slot} dark: ${c.dark.background} on ${c.dark.text} = ${dark}`);
    seen.push(light, dark);
    assert.match(c.light.background, /^#[0-9a-f]{6}$/);
  }
  // any name lands on one of these chips
  fc.assert(fc.property(fc.string(), (name) => wcag(classColour(name).dark.background, classColour(name).dark.text) >= 4.5 && preferredSlot(name) < PALETTE_SIZE));
  assert.equal(seen.length, 2 * PALETTE_SIZE);
});

test('the palette: chips told apart in both themes (pairwise at least 18 sRGB units apart: neighbouring hues are 30° apart)', () => {
  for (const theme of ['light', 'dark'] as const) {
    let least = Infinity;
    for (let a = 0; a < PALETTE_SIZE; a++) for (let b = a + 1; b < PALETTE_SIZE; b++) least = Math.min(least, distance(slotColour(a)[theme].background, slotColour(b)[theme].background));
    assert.ok(least >= 18, `${theme}: two chips only ${least.toFixed(1)} apart`);
  }
});

test('the first classes of a real classifier (51 WHOI classes) get distinct colours; a class keeps its colour as others arrive', () => {
  const names = realClasses();
  assert.equal(names.length, 51);
  assert.equal(names[0], 'Akashiwo');
  const first = assignSlots(new Map(), names.slice(0, 10));
  const all = assignSlots(first, names);
  const slots = names.slice(0, PALETTE_SIZE).map((n) => all.get(n)!);
  assert.equal(new Set(slots).size, PALETTE_SIZE);
  for (const n of names.slice(0, 10)) assert.equal(all.get(n), first.get(n));
  // nothing new: the same map back
  assert.equal(assignSlots(all, names.slice(5, 9)), all);
  // stable per name: a class seen first anywhere gets its own preferred chip
  for (const n of names) assert.equal(assignSlots(new Map(), [n]).get(n), preferredSlot(n));
  assert.deepEqual(classColour('Ciliates', all), slotColour(all.get('Ciliates')!));
  assert.deepEqual(classColour('Ciliates'), slotColour(preferredSlot('Ciliates')));
});

test('assignment: the first PALETTE_SIZE names of any list are distinct, and earlier names never move', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 60 }), (names, cut) => {
      const before = assignSlots(new Map(), names.slice(0, cut));
      const after = assignSlots(before, names);
      for (const [n, s] of before) if (after.get(n) !== s) return false;
      return new Set(names.slice(0, PALETTE_SIZE).map((n) => after.get(n))).size === Math.min(PALETTE_SIZE, names.length);
    }),
  );
});
