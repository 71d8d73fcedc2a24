/**
 * Procedural plankton for the demo library: each ROI shows one organism, dark on the light background of an IFCB
 * image, drawn from signed distances rather than photographs (nothing beside the repository is needed). Four kinds,
 * picked per target: chain-forming diatoms (rounded cells in a row), pennate diatoms (long lenses with striae),
 * centric diatoms (discs with radial ribs) and dinoflagellates (oval cells with a girdle and chloroplasts).
 * Everything follows from (seed, target), as the synthetic-bin writer's RoiPainter requires.
 */
import { mulberry32 } from './prng.ts';
import type { RoiPainter } from './synthetic-bin.ts';

export const PLANKTON_KINDS = ['chain', 'pennate', 'centric', 'dinoflagellate'] as const;
export type PlanktonKind = (typeof PLANKTON_KINDS)[number];

/** Clear space around the organism, px. */
const MARGIN = 7;
/** Background grey level (IFCB images are light grey where nothing is). */
const BACKGROUND = 208;
/** Grey level where the darkness reaches 1. */
const INK = 40;

interface Shape {
  kind: PlanktonKind;
  width: number;
  height: number;
  /** Darkness in [0, 1] at a pixel centre (0 = background). */
  darkness(x: number, y: number): number;
}

function targetRandom(seed: number, target: number): () => number {
  return mulberry32(Math.imul(seed, 0x9e3779b1) ^ Math.imul(target, 0x85ebca6b) ^ 0x5bd1e995);
}

/** Dark rim of a cell wall at signed distance `d` (px, negative inside), about 2 px wide. */
function rim(d: number): number {
  return Math.exp(-(d * d) / 1.6);
}

/** Darkness of a cell: a wall where d ≈ 0, `fill` inside, nothing outside. */
function cell(d: number, fill: number): number {
  const inside = d < 0 ? fill : 0;
  return Math.min(1, Math.max(inside, 0.9 * rim(d)));
}

function chain(rnd: () => number): Shape {
  const cells = 3 + Math.floor(rnd() * 5);
  const a = 7 + rnd() * 6; // half length of one cell
  const b = 6 + rnd() * 5; // half height
  const width = Math.round(cells * 2 * a + 2 * MARGIN);
  const height = Math.round(2 * b + 2 * MARGIN);
  const fill = 0.32 + rnd() * 0.12;
  const spots = Array.from({ length: cells }, () => ({ dx: (rnd() - 0.5) * a, dy: (rnd() - 0.5) * b, r: 2 + rnd() * 2 }));
  return {
    kind: 'chain',
    width,
    height,
    darkness(x, y) {
      const i = Math.min(cells - 1, Math.max(0, Math.floor((x - MARGIN) / (2 * a))));
      const cx = MARGIN + (2 * i + 1) * a;
      const cy = height / 2;
      // superellipse (rounded rectangle) of exponent 4
      const k = Math.pow(Math.pow(Math.abs(x - cx) / a, 4) + Math.pow(Math.abs(y - cy) / b, 4), 0.25);
      const d = (k - 1) * Math.min(a, b);
      const s = spots[i]!;
      const chloroplast = Math.hypot(x - cx - s.dx, y - cy - s.dy) < s.r ? 0.3 : 0;
      return cell(d, fill + (d < 0 ? chloroplast : 0));
    },
  };
}

function pennate(rnd: () => number): Shape {
  const a = 28 + rnd() * 50; // half length
  const b = 4 + rnd() * 3; // half width
  const width = Math.round(2 * a + 2 * MARGIN);
  const height = Math.round(2 * b + 2 * MARGIN);
  const fill = 0.3 + rnd() * 0.1;
  const period = 2.2 + rnd();
  return {
    kind: 'pennate',
    width,
    height,
    darkness(x, y) {
      const u = Math.abs(x - width / 2) / a;
      const v = Math.abs(y - height / 2) / b;
      // a lens: pointed ends (exponent 1.3 along the length)
      const k = Math.pow(Math.pow(u, 1.3) + v * v, 1 / 1.3);
      const d = (k - 1) * b;
      const striae = 0.12 * (0.5 + 0.5 * Math.sin((x * 2 * Math.PI) / period));
      return cell(d, fill + striae);
    },
  };
}

function centric(rnd: () => number): Shape {
  const r = 14 + rnd() * 20;
  const size = Math.round(2 * r + 2 * MARGIN);
  const ribs = 10 + Math.floor(rnd() * 10);
  const fill = 0.22 + rnd() * 0.1;
  return {
    kind: 'centric',
    width: size,
    height: size,
    darkness(x, y) {
      const dx = x - size / 2;
      const dy = y - size / 2;
      const rho = Math.hypot(dx, dy);
      const d = rho - r;
      const pattern = 0.12 * (0.5 + 0.5 * Math.cos(ribs * Math.atan2(dy, dx))) * (rho / r) + 0.35 * rim((rho - 0.55 * r) / 1.2);
      return cell(d, fill + pattern);
    },
  };
}

function dinoflagellate(rnd: () => number): Shape {
  const rx = 11 + rnd() * 16;
  const ry = rx * (0.85 + rnd() * 0.35);
  const width = Math.round(2 * rx + 2 * MARGIN);
  const height = Math.round(2 * ry + 2 * MARGIN);
  const fill = 0.42 + rnd() * 0.15;
  const tilt = (rnd() - 0.5) * 0.4;
  const granules = Array.from({ length: 6 + Math.floor(rnd() * 6) }, () => {
    const angle = rnd() * 2 * Math.PI;
    const dist = Math.sqrt(rnd()) * 0.7;
    return { x: width / 2 + Math.cos(angle) * dist * rx, y: height / 2 + Math.sin(angle) * dist * ry, r: 1.5 + rnd() * 2 };
  });
  return {
    kind: 'dinoflagellate',
    width,
    height,
    darkness(x, y) {
      const dx = x - width / 2;
      const dy = y - height / 2;
      const k = Math.hypot(dx / rx, dy / ry);
      const d = (k - 1) * Math.min(rx, ry);
      if (d >= 0) return cell(d, fill);
      const girdle = 0.25 * rim((dy - tilt * dx) / 1.4);
      const granule = granules.some((g) => Math.hypot(x - g.x, y - g.y) < g.r) ? 0.25 : 0;
      return cell(d, fill + girdle + granule);
    },
  };
}

const MAKERS: Record<PlanktonKind, (rnd: () => number) => Shape> = { chain, pennate, centric, dinoflagellate };

/** The organism a target shows (kind, size and drawing), deterministic in (seed, target). */
export function planktonShape(seed: number, target: number): Shape {
  const rnd = targetRandom(seed, target);
  const kind = PLANKTON_KINDS[Math.floor(rnd() * PLANKTON_KINDS.length)]!;
  return MAKERS[kind](rnd);
}

/** The synthetic-bin writer's painter for plankton images. */
export const planktonPainter: RoiPainter = {
  size(seed, target) {
    const { width, height } = planktonShape(seed, target);
    return { width, height };
  },
  paint(out, offset, seed, target, width, height) {
    const shape = planktonShape(seed, target);
    // a stitched pair's second ROI may be given a larger box than its shape: draw centred, background around
    const ox = (width - shape.width) / 2;
    const oy = (height - shape.height) / 2;
    let noise = (targetRandom(seed, target)() * 4294967296) >>> 0 || 1;
    let p = offset;
    for (let y = 0; y < height; y++) {
      const background = BACKGROUND - (y * 6) / Math.max(1, height);
      for (let x = 0; x < width; x++) {
        noise ^= noise << 13;
        noise ^= noise >>> 17;
        noise ^= noise << 5;
        const grain = ((noise >>> 0) % 5) - 2;
        const dark = shape.darkness(x - ox + 0.5, y - oy + 0.5);
        const v = Math.round(background - dark * (background - INK) + grain);
        out[p++] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  },
};
