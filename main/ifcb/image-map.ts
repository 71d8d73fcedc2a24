/**
 * `ImageMap` implementations (pyifcb `bin.images`): targets with `ROI_WIDTH != 0`, keyed by target
 * number (1-based ADC row), iterated in target order. Pixels come from a `PixelSource` (an open or
 * per-read-opened `.roi`, or bytes in memory), so the same maps serve scopes, lazy bins and `read()`.
 * Schema 1 bins get the stitched + infilled map of spec §5 on top of the raw one.
 */
import { IfcbError } from '../../shared/errors.ts';
import { roiColumnIndex } from './adc.ts';
import { stitchPixels, type StitchPair } from './stitch.ts';
import { validateRoiGeometry, type RoiContext, type RoiExtent } from './roi.ts';
import type { AdcTable, ImageMap, RoiGeometry, RoiImage } from './types.ts';

export type { StitchPair };

/** Reads raw pixels for validated extents, in the order given. */
export interface PixelSource {
  read(extents: readonly RoiExtent[]): Uint8Array[];
}

/** Targets are read in batches this big while iterating, so iteration also coalesces reads. */
const ITERATION_BATCH = 512;

/** Raw image geometry from the ADC: every row with ROI_WIDTH != 0, in target order (unvalidated). */
export function rawGeometries(adc: AdcTable): RoiGeometry[] {
  const ix = roiColumnIndex(adc.schema);
  const widths = adc.column(ix.width);
  const heights = adc.column(ix.height);
  const xs = adc.column(ix.x);
  const ys = adc.column(ix.y);
  const offsets = adc.column(ix.startByte);
  const out: RoiGeometry[] = [];
  for (let i = 0; i < adc.rowCount; i++) {
    if (widths[i] !== 0) {
      out.push({ target: i + 1, width: widths[i]!, height: heights[i]!, byteOffset: offsets[i]!, x: xs[i]!, y: ys[i]! });
    }
  }
  return out;
}

function notInBin(target: number, binId: string): IfcbError {
  return new IfcbError(
    'ROI_NOT_IN_BIN',
    `target ${target} has no image in ${binId} (targets with an image are the ADC rows with a non-zero ROI width; see the bin's image list)`,
    { target, binId },
  );
}

abstract class BaseImageMap implements ImageMap {
  protected constructor(
    protected readonly binId: string,
    protected readonly order: readonly number[],
  ) {}

  get size(): number {
    return this.order.length;
  }

  keys(): number[] {
    return [...this.order];
  }

  abstract has(target: number): boolean;
  abstract geometry(target: number): RoiGeometry;
  abstract getMany(targets: readonly number[]): RoiImage[];

  get(target: number): RoiImage {
    return this.getMany([target])[0]!;
  }

  geometries(): RoiGeometry[] {
    return this.order.map((t) => this.geometry(t));
  }

  *entries(): IterableIterator<[number, RoiImage]> {
    for (let i = 0; i < this.order.length; i += ITERATION_BATCH) {
      const batch = this.order.slice(i, i + ITERATION_BATCH);
      const images = this.getMany(batch);
      for (const im of images) yield [im.target, im];
    }
  }

  *values(): IterableIterator<RoiImage> {
    for (const [, im] of this.entries()) yield im;
  }

  [Symbol.iterator](): IterableIterator<[number, RoiImage]> {
    return this.entries();
  }

  protected missing(target: number): IfcbError {
    return notInBin(target, this.binId);
  }
}

/** Target lookups of a geometry list, shared by every map built over the same list (a bin's scopes, `read()`). */
const INDEXES = new WeakMap<readonly RoiGeometry[], { order: readonly number[]; byTarget: ReadonlyMap<number, RoiGeometry> }>();

/** Unstitched images (schema 2's only map; schema 1's `rawImages`). */
export class RawImageMap extends BaseImageMap {
  private readonly byTarget: ReadonlyMap<number, RoiGeometry>;

  constructor(
    binId: string,
    raw: readonly RoiGeometry[],
    private readonly source: PixelSource,
    private readonly ctx: RoiContext = { binId },
  ) {
    let index = INDEXES.get(raw);
    if (!index) {
      index = { order: raw.map((g) => g.target), byTarget: new Map(raw.map((g) => [g.target, g])) };
      INDEXES.set(raw, index);
    }
    super(binId, index.order);
    this.byTarget = index.byTarget;
  }

  has(target: number): boolean {
    return this.byTarget.has(target);
  }

  geometry(target: number): RoiGeometry {
    const g = this.byTarget.get(target);
    if (!g) throw this.missing(target);
    validateRoiGeometry(g, this.ctx);
    return { ...g };
  }

  getMany(targets: readonly number[]): RoiImage[] {
    const extents = targets.map((t) => this.geometry(t));
    const pixels = this.source.read(extents);
    return extents.map((g, i) => ({ target: g.target, width: g.width, height: g.height, pixels: pixels[i]! }));
  }
}

/** Schema 1 images after stitching + infill (spec §5): pair partners vanish, the first target gets the union box. */
export class StitchedImageMap extends BaseImageMap {
  private readonly pairs: Map<number, StitchPair>;
  private readonly partners: Set<number>;

  constructor(
    binId: string,
    private readonly raw: RawImageMap,
    pairs: readonly StitchPair[],
  ) {
    const partners = new Set(pairs.map((p) => p.partner));
    super(
      binId,
      raw.keys().filter((t) => !partners.has(t)),
    );
    this.partners = partners;
    this.pairs = new Map(pairs.map((p) => [p.target, p]));
  }

  has(target: number): boolean {
    return this.raw.has(target) && !this.partners.has(target);
  }

  geometry(target: number): RoiGeometry {
    if (!this.has(target)) throw this.missing(target);
    const first = this.raw.geometry(target);
    const pair = this.pairs.get(target);
    if (!pair) return first;
    const second = this.raw.geometry(pair.partner);
    const box = { target, width: pair.width, height: pair.height, byteOffset: first.byteOffset };
    for (const [field, v] of [['ROI_X', first.x], ['ROI_Y', first.y], ['ROI_X', second.x], ['ROI_Y', second.y]] as const) {
      if (!Number.isSafeInteger(v)) {
        throw new IfcbError(
          'ROI_INVALID_GEOMETRY',
          `ROI ${target} of ${this.binId} cannot be stitched: ${field} (${v}) of its parts must be an integer. The .adc file is probably corrupt.`,
          { target, partner: pair.partner, binId: this.binId },
        );
      }
    }
    validateRoiGeometry(box, { binId: this.binId }); // the union box, e.g. parts far apart
    return { ...box, x: pair.x, y: pair.y, stitchedWith: pair.partner };
  }

  getMany(targets: readonly number[]): RoiImage[] {
    const boxes = targets.map((t) => this.geometry(t)); // validates every part and union box before any read
    // one coalesced raw read for every part needed
    const needed: number[] = [];
    for (const g of boxes) {
      needed.push(g.target);
      if (g.stitchedWith !== undefined) needed.push(g.stitchedWith);
    }
    const rawImages = this.raw.getMany(needed);
    const byTarget = new Map(rawImages.map((im) => [im.target, im]));
    return boxes.map((box) => {
      const first = byTarget.get(box.target)!;
      const pair = this.pairs.get(box.target);
      if (!pair) return first;
      const second = byTarget.get(pair.partner)!;
      const a = this.raw.geometry(box.target);
      const b = this.raw.geometry(pair.partner);
      const pixels = stitchPixels(
        pair,
        { x: a.x, y: a.y, width: a.width, height: a.height, pixels: first.pixels },
        { x: b.x, y: b.y, width: b.width, height: b.height, pixels: second.pixels },
      );
      return { target: box.target, width: box.width, height: box.height, pixels };
    });
  }
}
