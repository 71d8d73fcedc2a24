/**
 * The colour of a class's chip on a tile and in the class panel. A palette of PALETTE_SIZE chips (12 hues, each in
 * two tones) evenly spread in OKLCH, so that chips of the same tone look equally light whatever their hue; each has a
 * light-theme and a dark-theme form whose text colour reaches WCAG contrast ≥ MIN_CONTRAST on it.
 *
 * Which chip a class gets: its name's hash picks a preferred slot; `assignSlots` gives names in the order they are
 * first seen their preferred slot or, when another class holds it, the next free one, so the first PALETTE_SIZE
 * classes are always told apart and a class keeps its colour for as long as the assignment lives (a new class only
 * takes a free slot). Pure.
 */

export const PALETTE_SIZE = 24;
/** WCAG AA for small text: the chip's text on its background reaches at least this. */
export const MIN_CONTRAST = 4.5;

/** Text colours of the chips: the themes' own text colours (styles/app.css --text). */
const TEXT_ON_LIGHT = '#1d1d1f';
const TEXT_ON_DARK = '#f2f2f4';

export interface ChipColours {
  background: string;
  text: string;
}

export interface ClassColour {
  slot: number;
  light: ChipColours;
  dark: ChipColours;
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so names differing by one letter land far apart. */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function preferredSlot(name: string): number {
  return nameHash(name) % PALETTE_SIZE;
}

/**
 * `assigned` extended with a slot for every name of `names` it does not have yet, in order: the preferred slot, or
 * the next free one; once all are taken, the preferred slot (shared). Returns `assigned` itself when nothing is new.
 */
export function assignSlots(assigned: ReadonlyMap<string, number>, names: Iterable<string>): ReadonlyMap<string, number> {
  let out: Map<string, number> | null = null;
  let taken: Set<number> | null = null;
  for (const name of names) {
    if ((out ?? assigned).has(name)) continue;
    out ??= new Map(assigned);
    taken ??= new Set(assigned.values());
    const preferred = preferredSlot(name);
    let slot = preferred;
    if (taken.size < PALETTE_SIZE) while (taken.has(slot)) slot = (slot + 1) % PALETTE_SIZE;
    out.set(name, slot);
    taken.add(slot);
  }
  return out ?? assigned;
}

// ---- colour arithmetic (OKLCH → sRGB, WCAG contrast) ----

function linearToSrgb(x: number): number {
  const v = x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055;
  return Math.min(1, Math.max(0, v));
}

function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** Linear sRGB of an OKLCH colour (components may leave [0, 1] when out of gamut). */
function oklchToLinear(l: number, c: number, hueDeg: number): [number, number, number] {
  const a = c * Math.cos((hueDeg * Math.PI) / 180);
  const b = c * Math.sin((hueDeg * Math.PI) / 180);
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
}

const inGamut = (rgb: readonly number[]): boolean => rgb.every((v) => v >= -1e-6 && v <= 1 + 1e-6);

/** `#rrggbb` of an OKLCH colour, chroma reduced until it fits sRGB (the hue and lightness are kept). */
function oklchHex(l: number, c: number, hueDeg: number): string {
  let chroma = c;
  let rgb = oklchToLinear(l, chroma, hueDeg);
  while (!inGamut(rgb) && chroma > 0) {
    chroma = Math.max(0, chroma - 0.005);
    rgb = oklchToLinear(l, chroma, hueDeg);
  }
  return `#${rgb.map((v) => Math.round(linearToSrgb(v) * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance of `#rrggbb`. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => srgbToLinear(parseInt(hex.slice(i, i + 2), 16) / 255)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The chip for `slot` in one theme: lightness starts at the tone's and moves away from the text (lighter under dark
 * text, darker under light text) until the contrast holds.
 */
function chip(slot: number, theme: 'light' | 'dark'): ChipColours {
  const hue = (slot % 12) * 30 + 15;
  const second = slot >= 12;
  const text = theme === 'light' ? TEXT_ON_LIGHT : TEXT_ON_DARK;
  let l = theme === 'light' ? (second ? 0.76 : 0.87) : second ? 0.5 : 0.38;
  const chroma = second ? 0.13 : 0.1;
  let background = oklchHex(l, chroma, hue);
  while (contrastRatio(background, text) < MIN_CONTRAST + 0.1) {
    l += theme === 'light' ? 0.01 : -0.01;
    background = oklchHex(l, chroma, hue);
  }
  return { background, text };
}

const PALETTE: readonly ClassColour[] = Array.from({ length: PALETTE_SIZE }, (_, slot) => ({ slot, light: chip(slot, 'light'), dark: chip(slot, 'dark') }));

/** The chip colours of a slot (any integer; wraps around the palette). */
export function slotColour(slot: number): ClassColour {
  return PALETTE[((slot % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE]!;
}

/** A class's colour: its slot in `assigned`, else its preferred one. */
export function classColour(name: string, assigned?: ReadonlyMap<string, number>): ClassColour {
  return slotColour(assigned?.get(name) ?? preferredSlot(name));
}
