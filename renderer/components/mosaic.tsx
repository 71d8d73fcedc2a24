/**
 * The mosaic: every image of the view (one bin, or a range of bins each after a slim header), packed at true
 * relative scale (or justified rows), one virtual item per packed row. React renders only the rows on screen
 * plus a small overscan, as light DOM tiles (hover, tooltip, selection, focus, badges, class chips); the pixels are
 * drawn from ImageBitmaps into ONE viewport-sized canvas under them, redrawn once per frame while scrolling. One
 * canvas instead of one per tile keeps scrolling smooth: a canvas per tile made the compositor stall for seconds on
 * a 10,000-ROI bin. During a fling (lib/fling.ts) rows come into view without their tile elements: the canvas draws
 * their marks too, and clicks find tiles from the layout, never from the DOM. Bins whose geometry has not arrived
 * hold a placeholder; the mosaic asks for the bins within a screen of the viewport and keeps what the user looks at
 * in place when they arrive.
 */
import { memo, startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, Key, MouseEvent as ReactMouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { downscalePercent, neighbourTile, pageTile, rowAt, tileAt, tileNearestX, tilesInRect } from '../../shared/mosaic/layout.ts';
import type { LayoutMode, LayoutRow, TileSize } from '../../shared/mosaic/layout.ts';
import { layoutSections } from '../../shared/mosaic/sections.ts';
import type { SectionCache, SectionedLayout } from '../../shared/mosaic/sections.ts';
import { roiId, slotOfKey, targetOfKey } from '../../shared/mosaic/keys.ts';
import type { SelectionAction, SelectionState } from '../../shared/mosaic/selection.ts';
import { formatUm } from '../../shared/mosaic/scale-bar.ts';
import type { PixelLoader } from '../lib/pixel-loader.ts';
import { slotColour } from '../lib/class-colours.ts';
import { dressedRows, flingFrom, FLING_SETTLE_MS } from '../lib/fling.ts';
import type { ScrollSample } from '../lib/fling.ts';
import { drawTileMarks } from '../lib/tile-marks.ts';
import type { MarkColours } from '../lib/tile-marks.ts';
import { chipTitle } from '../lib/tile-label.ts';
import type { TileClassLabel } from '../lib/tile-label.ts';
import { controlOwnsKey } from '../lib/keys.ts';
import { displayIndexOf } from '../state/display.ts';
import type { DisplayModel } from '../state/display.ts';
import type { ViewBin } from '../state/view.ts';
import { BinHeader } from './bin-header.tsx';
import { useLatest } from '../hooks/use-latest.ts';

/** Padding around the tiles inside the scroller, CSS px. */
export const MOSAIC_PADDING = 12;
/** Gap between tiles and rows, CSS px. */
export const MOSAIC_GAP = 3;
/** Height of a bin's header row in a range, CSS px. */
export const BIN_HEADER_HEIGHT = 30;
/** Rows rendered beyond the viewport (DOM), and screens of pixels prefetched beyond it. */
const RENDER_OVERSCAN = 2;
const PREFETCH_SCREENS = 1;
/** Page Up/Down scroll one screen less this much, so the row at the edge stays in sight. */
const PAGE_OVERLAP = 24;
/** A press on a tile becomes a rubber band after the pointer moved this far (as in file managers), CSS px. */
const DRAG_THRESHOLD = 5;
/** Ctrl/Cmd+wheel: wheel delta (px) per zoom step, so a trackpad pinch does not race through the steps. */
const WHEEL_STEP = 40;
/** Pixels arriving within this long of a scroll wait for the next frame instead of being drawn at once, ms. */
const SCROLL_SETTLE_MS = 100;

export interface MosaicProps {
  model: DisplayModel;
  /** The view's bins by slot (headers, tooltips). */
  bins: readonly ViewBin[];
  zoom: number;
  mode: LayoutMode;
  /** Camera px per µm of the bin in a slot (its instrument's calibration). */
  pxPerUmOf: (slot: number) => number;
  loader: PixelLoader;
  selection: SelectionState;
  dispatch: (action: SelectionAction) => void;
  /** Enter or double-click on a tile. */
  onActivate: (key: number) => void;
  /** Whether keyboard shortcuts go to the mosaic (false while a dialog or the ROI view is open). */
  keyboardActive: boolean;
  /** Changes with the sort and filter: a new arrangement starts at the top. */
  arrangement: string;
  /** Ctrl/Cmd+wheel: one zoom step in (1) or out (-1); the image under the pointer stays under it. */
  onZoomStep: (direction: 1 | -1) => void;
  /** The slots of the bins within a screen of the viewport (their geometry is wanted). */
  onNearSlots: (slots: readonly number[]) => void;
  /** The first and last slot within a screen of the viewport (bins far from them may be let go). */
  onNearRange: (near: { first: number; last: number }) => void;
  /** The class chip of a tile and its palette slot (null: no chip; absent: labels hidden). */
  classLabelOf?: (binId: string, target: number) => TileChip | null;
}

/** A tile's class chip and its palette slot (lib/class-colours.ts). */
export interface TileChip extends TileClassLabel {
  slot: number;
}

/** Below this tile size (CSS px) the chip is a colour bar without text (the tooltip still names the class). */
const CHIP_TEXT_MIN_WIDTH = 40;
const CHIP_TEXT_MIN_HEIGHT = 18;

interface TileProps {
  tileKey: number;
  binId: string;
  x: number;
  w: number;
  h: number;
  nativeW: number;
  nativeH: number;
  scalePercent: number;
  downscaled: boolean;
  selected: boolean;
  focused: boolean;
  pxPerUm: number;
  /** Lets the canvas drawing mark the tile painted/error (`data-state`) without a React render. */
  register: (key: number, element: HTMLDivElement | null) => void;
  /** The class chip, as plain values so the memo compares them (`chipClass` null: no chip). */
  chipClass: string | null;
  chipScore: number | null;
  chipManual: boolean;
  chipClassifierClass: string | null;
  chipSlot: number;
}

/**
 * A tile's class chip: the class colour (both themes' forms as custom properties, styles/classes.css picks one), a
 * mark for a person's label, a bar in the danger colour when it differs from the classifier. Cut to the tile, never beyond it.
 */
function ClassChip(p: Pick<TileProps, 'w' | 'h' | 'chipScore' | 'chipManual' | 'chipClassifierClass' | 'chipSlot'> & { name: string }) {
  const colour = slotColour(p.chipSlot);
  const label = { name: p.name, score: p.chipScore, manual: p.chipManual, classifierClass: p.chipClassifierClass };
  const compact = p.w < CHIP_TEXT_MIN_WIDTH || p.h < CHIP_TEXT_MIN_HEIGHT;
  let className = 'tile-class';
  if (compact) className += ' is-compact';
  if (p.chipManual) className += ' is-manual';
  if (p.chipClassifierClass !== null) className += ' is-differs';
  return (
    <span
      className={className}
      data-class={p.name}
      data-manual={p.chipManual ? 'true' : undefined}
      data-differs={p.chipClassifierClass !== null ? 'true' : undefined}
      title={chipTitle(label)}
      style={
        {
          '--chip-light': colour.light.background,
          '--chip-light-text': colour.light.text,
          '--chip-dark': colour.dark.background,
          '--chip-dark-text': colour.dark.text,
        } as CSSProperties
      }
    >
      {!compact && (
        <>
          {p.chipManual && <span className="tile-class-mark" aria-hidden="true">✎</span>}
          {/* the name gives way first: the score stays readable on a narrow tile */}
          <span className="tile-class-text">{p.name}</span>
          {p.chipScore !== null && (
            <>
              {' '}
              <span className="tile-class-score">{p.chipScore.toFixed(2)}</span>
            </>
          )}
        </>
      )}
    </span>
  );
}

const Tile = memo(function Tile(p: TileProps) {
  const { register, tileKey } = p;
  const ref = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element) return;
      register(tileKey, element);
      return () => register(tileKey, null);
    },
    [register, tileKey],
  );
  const target = targetOfKey(tileKey);
  const um = `${formatUm(p.nativeW / p.pxPerUm)} × ${formatUm(p.nativeH / p.pxPerUm)} µm`;
  let className = 'tile';
  if (p.selected) className += ' is-selected';
  if (p.focused) className += ' is-focused';
  if (p.downscaled) className += ' is-downscaled';
  return (
    <div
      ref={ref}
      className={className}
      data-key={tileKey}
      data-target={target}
      data-bin={p.binId}
      data-state="loading"
      data-scale={p.downscaled ? `${p.scalePercent}%` : undefined}
      title={`${roiId(p.binId, target)} · ${p.nativeW} × ${p.nativeH} px · ${um}${p.chipClass === null ? '' : ` · ${p.chipClass}`}`}
      style={{ left: p.x, width: p.w, height: p.h }}
      aria-selected={p.selected}
      role="gridcell"
    >
      {p.chipClass !== null && (
        <ClassChip name={p.chipClass} w={p.w} h={p.h} chipScore={p.chipScore} chipManual={p.chipManual} chipClassifierClass={p.chipClassifierClass} chipSlot={p.chipSlot} />
      )}
    </div>
  );
});

interface MosaicRowProps {
  row: LayoutRow;
  transform: string;
  keys: readonly number[];
  model: DisplayModel;
  bins: readonly ViewBin[];
  selection: SelectionState;
  pxPerUmOf: (slot: number) => number;
  register: (key: number, element: HTMLDivElement | null) => void;
  classLabelOf?: ((binId: string, target: number) => TileChip | null) | undefined;
  /** Mounted during a fling: the row without its tiles (the canvas draws them). */
  bare: boolean;
}

/**
 * One row of tiles. Memoised on what it shows: a scroll renders the mosaic every frame, and a row that stays on
 * screen is then skipped whole instead of comparing the props of each of its tiles (a day of small images puts
 * hundreds of tiles on screen).
 */
const MosaicRow = memo(function MosaicRow({ row, transform, keys, model, bins, selection, pxPerUmOf, register, classLabelOf, bare }: MosaicRowProps) {
  return (
    <div className="mosaic-row" role="row" style={{ transform, height: row.height }}>
      {!bare && row.tiles.map((t) => {
        const key = keys[t.index]!;
        const slot = slotOfKey(key);
        const binId = bins[slot]?.id ?? '';
        const chip = classLabelOf?.(binId, targetOfKey(key)) ?? null;
        return (
          <Tile
            key={key}
            tileKey={key}
            binId={binId}
            x={t.x + MOSAIC_PADDING}
            w={t.w}
            h={t.h}
            nativeW={model.width[t.index]!}
            nativeH={model.height[t.index]!}
            scalePercent={downscalePercent(t.scale)}
            downscaled={t.downscaled}
            selected={selection.selected.has(key)}
            focused={selection.focus === key}
            pxPerUm={pxPerUmOf(slot)}
            register={register}
            chipClass={chip?.name ?? null}
            chipScore={chip?.score ?? null}
            chipManual={chip?.manual ?? false}
            chipClassifierClass={chip?.classifierClass ?? null}
            chipSlot={chip?.slot ?? 0}
          />
        );
      })}
    </div>
  );
});

/** The canvas colours, from the stylesheet: tiles without pixels, and the marks of tiles without an element. */
interface CanvasColours extends MarkColours {
  placeholder: string;
  failed: string;
  /** The chips' dark-theme forms apply (styles/classes.css picks them by the same media query). */
  dark: boolean;
}

function readColours(el: Element): CanvasColours {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    placeholder: read('--placeholder', '#d9d9dc'),
    failed: read('--tile-error', '#e8c9c7'),
    accent: read('--accent', '#0a66d8'),
    focusRing: read('--focus-ring', '#0a66d8'),
    danger: read('--danger', '#c4312b'),
    dark: window.matchMedia('(prefers-color-scheme: dark)').matches,
  };
}

/**
 * What identifies a mosaic row among the rows of layouts at the same options: a header or placeholder by its bin
 * (section; one of each per bin), a row of tiles by its first image. Not by display index: when a bin above is let
 * go or arrives the indices after it shift, and keys made from them remounted every row (and tile) on screen.
 */
export function rowIdentity(row: LayoutRow, keys: readonly number[]): string {
  return `${row.kind ?? 'tiles'}:${row.section ?? 0}:${row.tiles.length > 0 ? keys[row.start] : ''}`;
}

/** What stays in place when the layout changes: a tile, a bin's header, or the point under the pointer in a tile. */
type Anchor = { key: number; offset: number } | { section: number; offset: number } | { key: number; fraction: number; pointer: number };

/** Native sizes of display indices [start, end). */
function sizesOf(model: DisplayModel, start: number, end: number): TileSize[] {
  return Array.from({ length: end - start }, (_, k) => ({ width: model.width[start + k]!, height: model.height[start + k]! }));
}

export function Mosaic(props: MosaicProps) {
  const { model, bins, zoom, mode, loader, selection, dispatch, onActivate, pxPerUmOf, keyboardActive, arrangement, onZoomStep, onNearSlots, onNearRange, classLabelOf } = props;
  const keys = model.keys;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ width: 0, height: 0 });
  const [band, setBand] = useState<{ x: number; y: number; w: number; h: number } | null>(null);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setViewport({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Bins already packed stay packed while another one arrives (the cache holds each bin's packing by its order).
  const packed = useRef<SectionCache>(new WeakMap());
  // The height each bin's tiles took at the current options, by bin id: a bin let go keeps it as its placeholder.
  // (bins are read for their ids, which change only with the model)
  const binsRef = useLatest(bins);
  const heights = useRef({ options: '', byBin: new Map<string, number>() });
  const layout: SectionedLayout = useMemo(() => {
    const options = { width: Math.max(1, viewport.width - 2 * MOSAIC_PADDING), zoom, gap: MOSAIC_GAP, mode, headerHeight: BIN_HEADER_HEIGHT };
    // Nothing to pack before the scroller has been measured (the first render).
    if (viewport.width === 0) return layoutSections([], options);
    const optionsKey = `${arrangement}|${options.width}|${zoom}|${mode}`;
    if (heights.current.options !== optionsKey) heights.current = { options: optionsKey, byBin: new Map() };
    const known = heights.current.byBin;
    const bins = binsRef.current;
    const out = layoutSections(
      model.sections.map((s) => {
        const height = s.loaded || model.across ? undefined : known.get(bins[s.slot]?.id ?? '');
        return {
          header: s.header,
          sizes: s.loaded ? () => sizesOf(model, s.start, s.end) : null,
          expectedImages: s.expectedImages,
          ...(s.identity ? { identity: s.identity } : {}),
          ...(height !== undefined ? { knownHeight: height } : {}),
        };
      }),
      options,
      packed.current,
    );
    if (!model.across) model.sections.forEach((s, i) => s.loaded && bins[s.slot] && known.set(bins[s.slot]!.id, out.sectionHeight[i]!));
    return out;
  }, [model, viewport.width, zoom, mode, arrangement, binsRef]);

  const rowKey = useCallback((i: number) => `${layout.width}:${zoom}:${mode}:${rowIdentity(layout.rows[i]!, keys)}`, [layout, keys, zoom, mode]);
  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => layout.rows[i]!.height + MOSAIC_GAP,
    getItemKey: rowKey,
    overscan: RENDER_OVERSCAN,
    // Rows render in React's next task, not synchronously inside each scroll event: the canvas draws the pixels
    // from the layout itself, so the tiles' DOM (state, selection, chips) may follow a frame later, and a fast
    // scroll no longer renders inside every scroll event (a day scroll dropped fewer frames: 34–63 of ~1,100, was 48–131).
    useFlushSync: false,
    paddingStart: MOSAIC_PADDING,
    paddingEnd: MOSAIC_PADDING,
  });

  // Keep what the user looks at in place when the layout changes (zoom, resize, bins arriving above it);
  // a new sort or filter starts at the top instead.
  const anchorRef = useRef<Anchor | null>(null);
  const arrangementRef = useRef(arrangement);
  // (No virtualizer.measure() here: rows are never measured from the DOM, and a new layout brings a new getItemKey,
  // which already makes the virtualizer size every row again; measure() did it twice and rendered once more.)
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const anchor = anchorRef.current;
    if (!el) return;
    if (arrangementRef.current !== arrangement) {
      arrangementRef.current = arrangement;
      anchorRef.current = null;
      el.scrollTop = 0;
      return;
    }
    if (!anchor) return;
    if ('section' in anchor) {
      const row = layout.rows[layout.sectionRow[anchor.section] ?? -1];
      if (row) el.scrollTop = Math.max(0, row.y + MOSAIC_PADDING - anchor.offset);
      return;
    }
    const index = displayIndexOf(model, anchor.key);
    if (index < 0) return;
    const row = layout.rows[layout.rowOf[index]!];
    if (!row) return;
    if ('pointer' in anchor) {
      const tile = row.tiles[index - row.start]!;
      el.scrollTop = Math.max(0, row.y + tile.y + anchor.fraction * tile.h + MOSAIC_PADDING - anchor.pointer);
      anchorRef.current = null;
    } else el.scrollTop = Math.max(0, row.y + MOSAIC_PADDING - anchor.offset);
    // Only when the layout itself changes: the anchor and index are read, not tracked.
  }, [layout]);

  // ---- pixels: one canvas under the tiles, redrawn at most once per frame ----
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tileElements = useRef(new Map<number, HTMLDivElement>());
  const register = useCallback((key: number, element: HTMLDivElement | null) => {
    if (element) tileElements.current.set(key, element);
    else tileElements.current.delete(key);
  }, []);
  const colours = useRef<CanvasColours | null>(null);
  const drawRef = useRef<() => void>(() => undefined);
  drawRef.current = () => {
    const canvas = canvasRef.current;
    const el = scrollRef.current;
    if (!canvas || !el) return;
    const dpr = window.devicePixelRatio || 1;
    const w = el.clientWidth;
    const h = el.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    // the stylesheet's colours change only with the OS colour scheme (which clears them)
    colours.current ??= readColours(el);
    const palette = colours.current;
    const { placeholder, failed } = palette;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    // what the loader holds, for the memory benchmark (an attribute written only when it changes)
    const pixelBytes = String(loader.stats().cachedBytes);
    if (canvas.dataset['pixelBytes'] !== pixelBytes) canvas.dataset['pixelBytes'] = pixelBytes;
    const top = el.scrollTop;
    const unpainted: number[] = [];
    for (let r = Math.max(0, rowAt(layout, top - MOSAIC_PADDING)); r < layout.rows.length; r++) {
      const row = layout.rows[r]!;
      const y0 = MOSAIC_PADDING + row.y - top;
      if (y0 > h) break;
      if (row.kind === 'placeholder') {
        // a bin on its way: a faint block where its images will be
        ctx.globalAlpha = 0.45;
        ctx.fillStyle = placeholder;
        ctx.fillRect(MOSAIC_PADDING, y0, layout.width, row.height);
        ctx.globalAlpha = 1;
        continue;
      }
      for (const t of row.tiles) {
        const key = keys[t.index]!;
        const x = MOSAIC_PADDING + t.x;
        const y = y0 + t.y;
        let state: string;
        if (loader.paint(ctx, key, x, y, t.w, t.h)) state = 'painted';
        else {
          ctx.fillStyle = loader.failure(key) ? failed : placeholder;
          ctx.fillRect(x, y, t.w, t.h);
          state = loader.failure(key) ? 'error' : 'loading';
          if (state === 'loading') unpainted.push(key);
        }
        const element = tileElements.current.get(key);
        if (element) {
          if (element.dataset['state'] !== state) element.dataset['state'] = state;
        } else {
          const chip = classLabelOf?.(bins[slotOfKey(key)]?.id ?? '', targetOfKey(key));
          const colour = chip ? slotColour(chip.slot) : null;
          const marks = {
            selected: selection.selected.has(key),
            focused: selection.focus === key,
            chip: chip && colour ? { colour: (palette.dark ? colour.dark : colour.light).background, differs: chip.classifierClass !== null } : null,
          };
          if (marks.selected || marks.focused || marks.chip) drawTileMarks(ctx, x, y, t.w, t.h, marks, palette);
        }
      }
    }
    // the tiles on screen still waiting for pixels, for tests and benchmarks (written only when it changes)
    const waiting = unpainted.join(',');
    if ((canvas.dataset['unpainted'] ?? '') !== waiting) canvas.dataset['unpainted'] = waiting;
  };
  const frame = useRef(0);
  const requestDraw = useCallback(() => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      drawRef.current();
    });
  }, []);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      // A remount (StrictMode, or the same instance re-attached) must be able to schedule frames again.
      frame.current = 0;
    },
    [],
  );
  // Pixels that arrive while the view is still are drawn at once (a frame sooner on screen). While it scrolls they
  // wait for the next frame, which draws every sheet that arrived since in one pass: fast scrolling lands a sheet
  // between most frames, and drawing each at once doubled the drawing.
  const lastScroll = useRef(-Infinity);
  // A fling mounts rows without their tiles until it ends (lib/fling.ts).
  const [flinging, setFlinging] = useState(false);
  useEffect(
    () =>
      loader.onLoad(() => {
        if (frame.current) return;
        if (performance.now() - lastScroll.current < SCROLL_SETTLE_MS) requestDraw();
        else drawRef.current();
      }),
    [loader, requestDraw],
  );
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let previous: ScrollSample | null = null;
    let fling = false;
    let settle = 0;
    const endFling = () => {
      fling = false;
      // the rows on screen get their tiles in slices React may interrupt (the user may scroll again)
      startTransition(() => setFlinging(false));
    };
    const onScroll = () => {
      const now = { time: performance.now(), top: el.scrollTop };
      lastScroll.current = now.time;
      requestDraw();
      const fast = flingFrom(previous, now, el.clientHeight);
      previous = now;
      if (fast === null) return;
      window.clearTimeout(settle);
      if (fast && !fling) {
        fling = true;
        setFlinging(true);
      } else if (!fast && fling) endFling();
      if (fling) settle = window.setTimeout(endFling, FLING_SETTLE_MS);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => {
      colours.current = null;
      requestDraw();
    };
    scheme.addEventListener('change', onScheme);
    return () => {
      window.clearTimeout(settle);
      el.removeEventListener('scroll', onScroll);
      scheme.removeEventListener('change', onScheme);
    };
  }, [requestDraw]);
  // Every render may have moved tiles (layout, selection, rows mounted): redraw this frame.
  useLayoutEffect(() => requestDraw());

  const scrollTop = virtualizer.scrollOffset ?? 0;
  const firstVisible = Math.max(0, rowAt(layout, scrollTop - MOSAIC_PADDING));
  const lastVisible = Math.max(firstVisible, rowAt(layout, scrollTop - MOSAIC_PADDING + viewport.height));

  // Remember what is at the top, to restore it after the next layout change.
  useEffect(() => {
    const row = layout.rows[firstVisible];
    if (!row) return;
    if (row.tiles.length > 0) anchorRef.current = { key: keys[row.start]!, offset: row.y + MOSAIC_PADDING - scrollTop };
    else if (row.section !== undefined) {
      const head = layout.rows[layout.sectionRow[row.section]!]!;
      anchorRef.current = { section: row.section, offset: head.y + MOSAIC_PADDING - scrollTop };
    }
  }, [firstVisible, layout, keys, scrollTop]);

  // Bins within a screen of the viewport: their geometry is wanted (a range loads as it is scrolled).
  const nearKey = useRef('');
  useEffect(() => {
    if (layout.rows.length === 0) return;
    const screen = Math.max(1, viewport.height) * PREFETCH_SCREENS;
    const from = Math.max(0, rowAt(layout, scrollTop - MOSAIC_PADDING - screen));
    const to = Math.max(from, rowAt(layout, scrollTop - MOSAIC_PADDING + viewport.height + screen));
    const slots = new Set<number>();
    let first = Infinity;
    let last = -1;
    for (let r = from; r <= to && r < layout.rows.length; r++) {
      const section = layout.rows[r]!.section;
      const s = section === undefined ? undefined : model.sections[section];
      if (!s) continue;
      first = Math.min(first, s.slot);
      last = Math.max(last, s.slot);
      if (!s.loaded) slots.add(s.slot);
    }
    const list = [...slots];
    const key = `${first}-${last}:${list.join(',')}`;
    if (key === nearKey.current) return;
    nearKey.current = key;
    if (list.length > 0) onNearSlots(list);
    if (last >= 0 && !model.across) onNearRange({ first, last });
  }, [layout, scrollTop, viewport.height, model, onNearSlots, onNearRange]);

  // Pixels: visible rows first, then a screen below and above; anything else queued is dropped.
  useEffect(() => {
    if (layout.rows.length === 0) return;
    const wanted: number[] = [];
    const pushRows = (from: number, to: number) => {
      for (let r = Math.max(0, from); r <= Math.min(layout.rows.length - 1, to); r++) {
        const row = layout.rows[r]!;
        for (let i = row.start; i < row.end; i++) wanted.push(keys[i]!);
      }
    };
    pushRows(firstVisible, lastVisible);
    const screen = Math.max(1, viewport.height) * PREFETCH_SCREENS;
    const last = layout.rows[lastVisible]!;
    const below = rowAt(layout, last.y + last.height + screen);
    pushRows(lastVisible + 1, below < 0 ? layout.rows.length - 1 : below);
    const first = layout.rows[firstVisible]!;
    const above = rowAt(layout, first.y - screen);
    pushRows(above, firstVisible - 1);
    loader.want(wanted);
  }, [firstVisible, lastVisible, layout, keys, loader, viewport.height]);

  const focusIndex = useMemo(() => (selection.focus === null ? -1 : displayIndexOf(model, selection.focus)), [model, selection.focus]);

  const scrollIndexIntoView = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el || index < 0) return;
      const row = layout.rows[layout.rowOf[index]!];
      if (!row) return;
      const top = row.y + MOSAIC_PADDING;
      if (top < el.scrollTop) el.scrollTop = top - MOSAIC_PADDING;
      else if (top + row.height > el.scrollTop + el.clientHeight) el.scrollTop = top + row.height - el.clientHeight + MOSAIC_PADDING;
    },
    [layout],
  );

  /** The first tile of the first visible row that has tiles. */
  const firstTileOnScreen = useCallback((): number => {
    for (let r = firstVisible; r < layout.rows.length; r++) if (layout.rows[r]!.tiles.length > 0) return layout.rows[r]!.start;
    return 0;
  }, [firstVisible, layout]);

  // Keyboard: navigation and selection (zoom, bins and export are the app's). A layout effect, so the
  // handler sees this render's focus and layout before the next key event is processed.
  useLayoutEffect(() => {
    if (!keyboardActive) return;
    const onKey = (e: KeyboardEvent) => {
      // A focused slider, button or field keeps its own keys; the mosaic acts when focus is on it or the page.
      if (controlOwnsKey(e) || keys.length === 0) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      if (mod && (key === 'a' || key === 'A')) {
        e.preventDefault();
        dispatch(e.shiftKey ? { type: 'none' } : { type: 'all', order: keys });
        return;
      }
      if (mod && (key === 'i' || key === 'I')) {
        e.preventDefault();
        dispatch({ type: 'invert', order: keys });
        return;
      }
      if (mod || e.altKey) return;
      let next = -2;
      const from = focusIndex;
      switch (key) {
        case 'ArrowLeft':
          next = from < 0 ? 0 : neighbourTile(layout, from, 'left');
          break;
        case 'ArrowRight':
          next = from < 0 ? 0 : neighbourTile(layout, from, 'right');
          break;
        case 'ArrowUp':
          next = from < 0 ? 0 : neighbourTile(layout, from, 'up');
          break;
        case 'ArrowDown':
          next = from < 0 ? 0 : neighbourTile(layout, from, 'down');
          break;
        case 'PageDown':
        case 'PageUp': {
          // A screen at a time (less a sliver that stays in sight); the focus moves along by as much.
          const el = scrollRef.current;
          if (!el) return;
          e.preventDefault();
          const page = Math.max(MOSAIC_GAP, el.clientHeight - PAGE_OVERLAP);
          const down = key === 'PageDown';
          const start = from < 0 ? firstTileOnScreen() : from;
          el.scrollTop += down ? page : -page;
          next = pageTile(layout, start, page, down ? 'down' : 'up');
          if (next < 0) return;
          dispatch({ type: 'move', target: keys[next]!, order: keys, extend: e.shiftKey });
          // the row it lands on may be cut by the edge: bring it whole into view
          scrollIndexIntoView(next);
          return;
        }
        case 'Home':
          next = 0;
          break;
        case 'End':
          next = keys.length - 1;
          break;
        case ' ':
          e.preventDefault();
          dispatch({ type: 'toggle', target: keys[from < 0 ? 0 : from]! });
          if (from < 0) scrollIndexIntoView(0);
          return;
        case 'Enter':
          if (from >= 0) {
            e.preventDefault();
            onActivate(keys[from]!);
          }
          return;
        default:
          return;
      }
      if (next < 0) return;
      e.preventDefault();
      dispatch({ type: 'move', target: keys[next]!, order: keys, extend: e.shiftKey });
      scrollIndexIntoView(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboardActive, keys, focusIndex, layout, dispatch, onActivate, scrollIndexIntoView, firstTileOnScreen]);

  // Ctrl/Cmd+wheel zooms around the pointer (a non-passive listener: the page must not zoom instead).
  const wheelRef = useRef({ layout, keys, onZoomStep, accumulated: 0 });
  wheelRef.current = { ...wheelRef.current, layout, keys, onZoomStep };
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const w = wheelRef.current;
      w.accumulated += e.deltaMode === WheelEvent.DOM_DELTA_PIXEL ? e.deltaY : e.deltaY * WHEEL_STEP;
      if (Math.abs(w.accumulated) < WHEEL_STEP) return;
      const direction = w.accumulated < 0 ? 1 : -1;
      w.accumulated = 0;
      const box = el.getBoundingClientRect();
      const pointer = e.clientY - box.top;
      const y = pointer + el.scrollTop - MOSAIC_PADDING;
      const r = rowAt(w.layout, y);
      const row = w.layout.rows[r];
      if (row && row.tiles.length > 0) {
        const index = tileNearestX(w.layout, r, e.clientX - box.left - MOSAIC_PADDING);
        const tile = row.tiles[index - row.start]!;
        const fraction = Math.min(1, Math.max(0, (y - row.y - tile.y) / tile.h));
        anchorRef.current = { key: w.keys[index]!, fraction, pointer };
      }
      w.onZoomStep(direction);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  /** The tile (its key) under a point of the window, from the layout: rows mounted during a fling have no tile elements. */
  const keyAt = (clientX: number, clientY: number): number | null => {
    const el = scrollRef.current;
    if (!el) return null;
    const box = el.getBoundingClientRect();
    const index = tileAt(layout, clientX - box.left - el.clientLeft + el.scrollLeft - MOSAIC_PADDING, clientY - box.top - el.clientTop + el.scrollTop - MOSAIC_PADDING);
    return index < 0 ? null : keys[index]!;
  };

  // A rubber band ends in a click where the button is let go: that click must not also select the tile under it. The
  // browser sends it in the same task as the mouseup, so the flag lasts until the next task (a drag let go outside
  // the window sends no click, and must not swallow the next one).
  const suppressClick = useRef(false);
  const onClick = (e: ReactMouseEvent) => {
    if (suppressClick.current) return;
    const key = keyAt(e.clientX, e.clientY);
    if (key === null) return;
    if (e.shiftKey) dispatch({ type: 'range', target: key, order: keys, additive: e.ctrlKey || e.metaKey });
    else if (e.ctrlKey || e.metaKey) dispatch({ type: 'toggle', target: key });
    else dispatch({ type: 'click', target: key });
  };

  const onDoubleClick = (e: ReactMouseEvent) => {
    const key = keyAt(e.clientX, e.clientY);
    if (key !== null) onActivate(key);
  };

  // Rubber band: a drag from empty space, or from a tile once the pointer moved past the threshold.
  const onMouseDown = (e: ReactMouseEvent) => {
    const el = scrollRef.current;
    if (e.button !== 0 || !el) return;
    // A click on the scrollbar is not a drag.
    if (e.clientX - el.getBoundingClientRect().left >= el.clientWidth) return;
    const onTile = keyAt(e.clientX, e.clientY) !== null;
    e.preventDefault();
    el.focus({ preventScroll: true });
    const additive = e.ctrlKey || e.metaKey;
    const origin = el.getBoundingClientRect();
    const toContent = (clientX: number, clientY: number) => ({
      x: clientX - origin.left + el.scrollLeft,
      y: clientY - origin.top + el.scrollTop,
    });
    const start = toContent(e.clientX, e.clientY);
    let moved = false;
    let last = '';
    let lastClient = { x: e.clientX, y: e.clientY };
    const update = () => {
      const now = toContent(lastClient.x, lastClient.y);
      const rect = { x: start.x, y: start.y, w: now.x - start.x, h: now.y - start.y };
      if (!moved && Math.abs(rect.w) + Math.abs(rect.h) < DRAG_THRESHOLD) return;
      moved = true;
      setBand(rect);
      const hits = tilesInRect(layout, { x: rect.x - MOSAIC_PADDING, y: rect.y - MOSAIC_PADDING, w: rect.w, h: rect.h }).map((i) => keys[i]!);
      const key = hits.join(',');
      if (key !== last) {
        last = key;
        dispatch({ type: 'band', targets: hits, additive });
      }
    };
    const onMove = (ev: MouseEvent) => {
      lastClient = { x: ev.clientX, y: ev.clientY };
      // Dragging past the top or bottom edge scrolls.
      if (ev.clientY > origin.bottom) el.scrollTop += Math.min(40, ev.clientY - origin.bottom);
      else if (ev.clientY < origin.top) el.scrollTop -= Math.min(40, origin.top - ev.clientY);
      update();
    };
    const onUp = () => {
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
      el.removeEventListener('scroll', update);
      setBand(null);
      if (moved) {
        suppressClick.current = true;
        window.setTimeout(() => (suppressClick.current = false));
      }
      if (!moved && !additive && !onTile) dispatch({ type: 'none' });
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    el.addEventListener('scroll', update);
  };

  const items = virtualizer.getVirtualItems();
  // Rows keep their tiles while in view; new ones get them only when no fling is on (committed in a layout effect,
  // so a render React throws away leaves nothing behind).
  const dressedBefore = useRef<ReadonlySet<Key>>(new Set());
  const dressed = dressedRows(
    items.map((item) => item.key),
    flinging,
    dressedBefore.current,
  );
  useLayoutEffect(() => {
    dressedBefore.current = dressed;
  });
  return (
    <>
      <canvas ref={canvasRef} className="mosaic-canvas" aria-hidden="true" />
      <div
        className="mosaic-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="grid"
        aria-label="Mosaic of ROI images"
        aria-multiselectable="true"
        data-fling={flinging ? 'true' : undefined}
        onClick={onClick}
        onDoubleClick={onDoubleClick}
        onMouseDown={onMouseDown}
      >
        <div className="mosaic-content" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = layout.rows[item.index]!;
            const transform = `translateY(${row.y + MOSAIC_PADDING}px)`;
            if (row.kind === 'placeholder') return null;
            if (row.kind === 'header') {
              const section = model.sections[row.section!]!;
              const bin = bins[section.slot]!;
              return (
                <div key={item.key} className="mosaic-row mosaic-header-row" role="row" style={{ transform, height: row.height, left: MOSAIC_PADDING, right: MOSAIC_PADDING }}>
                  <BinHeader bin={bin} shown={section.loaded ? section.end - section.start : null} />
                </div>
              );
            }
            return (
              <MosaicRow
                key={item.key}
                row={row}
                transform={transform}
                keys={keys}
                model={model}
                bins={bins}
                selection={selection}
                pxPerUmOf={pxPerUmOf}
                register={register}
                {...(classLabelOf ? { classLabelOf } : {})}
                bare={!dressed.has(item.key)}
              />
            );
          })}
          {band && (
            <div
              className="rubber-band"
              style={{
                left: Math.min(band.x, band.x + band.w),
                top: Math.min(band.y, band.y + band.h),
                width: Math.abs(band.w),
                height: Math.abs(band.h),
              }}
            />
          )}
        </div>
      </div>
    </>
  );
}
