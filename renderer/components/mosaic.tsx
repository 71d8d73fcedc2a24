/**
 * The mosaic: every image of the bin, packed at true relative scale (or justified rows), one virtual
 * item per packed row. React renders only the rows on screen plus a small overscan, as light DOM tiles
 * (hover, selection, focus, badges); the pixels are drawn from ImageBitmaps into ONE viewport-sized
 * canvas under them, redrawn once per frame while scrolling. One canvas instead of one per tile keeps
 * scrolling smooth: a canvas per tile made the compositor stall for seconds on a 10,000-ROI bin.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MouseEvent as ReactMouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { layoutMosaic, neighbourTile, pageTile, rowAt, tilesInRect } from '../../shared/mosaic/layout.ts';
import type { LayoutMode, MosaicLayout } from '../../shared/mosaic/layout.ts';
import type { SelectionAction, SelectionState } from '../../shared/mosaic/selection.ts';
import { formatUm } from '../../shared/mosaic/scale-bar.ts';
import type { RoiTable } from '../../shared/ipc/contract.ts';
import type { PixelLoader } from '../lib/pixel-loader.ts';
import { controlOwnsKey } from '../lib/keys.ts';

/** Padding around the tiles inside the scroller, CSS px. */
export const MOSAIC_PADDING = 12;
/** Space below the last row so the floating scale bar never covers it, CSS px. */
const SCALE_BAR_CLEARANCE = 52;
/** Gap between tiles and rows, CSS px. */
export const MOSAIC_GAP = 3;
/** Rows rendered beyond the viewport (DOM), and screens of pixels prefetched beyond it. */
const RENDER_OVERSCAN = 2;
const PREFETCH_SCREENS = 1;

export interface MosaicProps {
  table: RoiTable;
  /** Display order: indices into the table. */
  order: Int32Array;
  zoom: number;
  mode: LayoutMode;
  pxPerUm: number;
  loader: PixelLoader;
  selection: SelectionState;
  dispatch: (action: SelectionAction) => void;
  /** Enter or double-click on a tile. */
  onActivate: (target: number) => void;
  /** Whether keyboard shortcuts go to the mosaic (false while a dialog is open). */
  keyboardActive: boolean;
}

interface TileProps {
  target: number;
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
  register: (target: number, element: HTMLDivElement | null) => void;
}

const Tile = memo(function Tile(p: TileProps) {
  const { register, target } = p;
  const ref = useCallback(
    (element: HTMLDivElement | null) => {
      if (!element) return;
      register(target, element);
      return () => register(target, null);
    },
    [register, target],
  );
  const um = `${formatUm(p.nativeW / p.pxPerUm)} × ${formatUm(p.nativeH / p.pxPerUm)} µm`;
  let className = 'tile';
  if (p.selected) className += ' is-selected';
  if (p.focused) className += ' is-focused';
  if (p.downscaled) className += ' is-downscaled';
  return (
    <div
      ref={ref}
      className={className}
      data-target={target}
      data-state="loading"
      data-scale={p.downscaled ? `${p.scalePercent}%` : undefined}
      title={`ROI ${target} · ${p.nativeW} × ${p.nativeH} px · ${um}`}
      style={{ left: p.x, width: p.w, height: p.h }}
      aria-selected={p.selected}
      role="gridcell"
    />
  );
});

/** The tile under a DOM event, if any. */
function targetOf(node: EventTarget | null): number | null {
  const el = node instanceof Element ? node.closest<HTMLElement>('[data-target]') : null;
  return el ? Number(el.dataset['target']) : null;
}

export function Mosaic(props: MosaicProps) {
  const { table, order, zoom, mode, loader, selection, dispatch, onActivate, pxPerUm, keyboardActive } = props;
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

  const targets = useMemo(() => Array.from(order, (i) => table.target[i]!), [order, table]);
  const displayIndex = useMemo(() => {
    const m = new Map<number, number>();
    targets.forEach((t, i) => m.set(t, i));
    return m;
  }, [targets]);

  const layout: MosaicLayout = useMemo(() => {
    // Nothing to pack before the scroller has been measured (the first render).
    if (viewport.width === 0) return layoutMosaic([], { width: 1 });
    const sizes = Array.from(order, (i) => ({ width: table.width[i]!, height: table.height[i]! }));
    return layoutMosaic(sizes, { width: Math.max(1, viewport.width - 2 * MOSAIC_PADDING), zoom, gap: MOSAIC_GAP, mode });
  }, [order, table, viewport.width, zoom, mode]);

  const rowKey = useCallback((i: number) => `${layout.width}:${zoom}:${mode}:${layout.rows[i]?.start ?? i}`, [layout, zoom, mode]);
  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => layout.rows[i]!.height + MOSAIC_GAP,
    getItemKey: rowKey,
    overscan: RENDER_OVERSCAN,
    paddingStart: MOSAIC_PADDING,
    // room below the last row for the scale bar, which floats over the bottom-left corner
    paddingEnd: SCALE_BAR_CLEARANCE,
  });

  // Keep the same tile on screen when the layout changes (zoom, resize, sort): scroll to its new row.
  const anchorRef = useRef<{ target: number; offset: number } | null>(null);
  useLayoutEffect(() => {
    virtualizer.measure();
    const el = scrollRef.current;
    const anchor = anchorRef.current;
    if (!el || !anchor) return;
    const index = displayIndex.get(anchor.target);
    if (index === undefined) return;
    const row = layout.rows[layout.rowOf[index]!];
    if (row) el.scrollTop = Math.max(0, row.y + MOSAIC_PADDING - anchor.offset);
    // Only when the layout itself changes: the anchor and index are read, not tracked.
  }, [layout]);

  // ---- pixels: one canvas under the tiles, redrawn at most once per frame ----
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tileElements = useRef(new Map<number, HTMLDivElement>());
  const register = useCallback((target: number, element: HTMLDivElement | null) => {
    if (element) tileElements.current.set(target, element);
    else tileElements.current.delete(target);
  }, []);
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
    const style = getComputedStyle(el);
    const placeholder = style.getPropertyValue('--placeholder').trim() || '#d9d9dc';
    const failed = style.getPropertyValue('--tile-error').trim() || '#e8c9c7';
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const top = el.scrollTop;
    for (let r = Math.max(0, rowAt(layout, top - MOSAIC_PADDING)); r < layout.rows.length; r++) {
      const row = layout.rows[r]!;
      const y0 = MOSAIC_PADDING + row.y - top;
      if (y0 > h) break;
      for (const t of row.tiles) {
        const target = targets[t.index]!;
        const x = MOSAIC_PADDING + t.x;
        const y = y0 + t.y;
        const image = loader.peek(target);
        let state: string;
        if (image) {
          // Smooth when shrinking; crisp pixels when enlarging; 1:1 copies exactly either way.
          ctx.imageSmoothingEnabled = t.w < image.width;
          ctx.drawImage(image.bitmap, x, y, t.w, t.h);
          state = 'painted';
        } else {
          ctx.fillStyle = loader.failure(target) ? failed : placeholder;
          ctx.fillRect(x, y, t.w, t.h);
          state = loader.failure(target) ? 'error' : 'loading';
        }
        const element = tileElements.current.get(target);
        if (element && element.dataset['state'] !== state) element.dataset['state'] = state;
      }
    }
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
  // Pixels that arrive while nothing is scheduled are drawn at once (a frame sooner on screen);
  // while scrolling a frame is already pending and draws them with everything else.
  useEffect(
    () =>
      loader.onLoad(() => {
        if (!frame.current) drawRef.current();
      }),
    [loader],
  );
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    el.addEventListener('scroll', requestDraw, { passive: true });
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', requestDraw);
    return () => {
      el.removeEventListener('scroll', requestDraw);
      scheme.removeEventListener('change', requestDraw);
    };
  }, [requestDraw]);
  // Every render may have moved tiles (layout, selection, rows mounted): redraw this frame.
  useLayoutEffect(() => requestDraw());

  const scrollTop = virtualizer.scrollOffset ?? 0;
  const firstVisible = Math.max(0, rowAt(layout, scrollTop - MOSAIC_PADDING));
  const lastVisible = Math.max(firstVisible, rowAt(layout, scrollTop - MOSAIC_PADDING + viewport.height));

  // Remember which tile is at the top, to restore it after the next layout change.
  useEffect(() => {
    const row = layout.rows[firstVisible];
    if (row && row.tiles.length > 0) {
      anchorRef.current = { target: targets[row.start]!, offset: row.y + MOSAIC_PADDING - scrollTop };
    }
  }, [firstVisible, layout, targets, scrollTop]);

  // Pixels: visible rows first, then a screen below and above; anything else queued is dropped.
  useEffect(() => {
    if (layout.rows.length === 0) return;
    const wanted: number[] = [];
    const pushRows = (from: number, to: number) => {
      for (let r = Math.max(0, from); r <= Math.min(layout.rows.length - 1, to); r++) {
        const row = layout.rows[r]!;
        for (let i = row.start; i < row.end; i++) wanted.push(targets[i]!);
      }
    };
    pushRows(firstVisible, lastVisible);
    const screen = Math.max(1, viewport.height) * PREFETCH_SCREENS;
    const last = layout.rows[lastVisible]!;
    const below = rowAt(layout, last.y + last.height + screen);
    pushRows(lastVisible + 1, below);
    const first = layout.rows[firstVisible]!;
    const above = rowAt(layout, first.y - screen);
    pushRows(above, firstVisible - 1);
    loader.want(wanted);
  }, [firstVisible, lastVisible, layout, targets, loader, viewport.height]);

  const focusIndex = selection.focus === null ? -1 : (displayIndex.get(selection.focus) ?? -1);

  const scrollIndexIntoView = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el || index < 0) return;
      const row = layout.rows[layout.rowOf[index]!];
      if (!row) return;
      const top = row.y + MOSAIC_PADDING;
      if (top < el.scrollTop) el.scrollTop = top - MOSAIC_PADDING;
      else if (top + row.height > el.scrollTop + el.clientHeight) el.scrollTop = top + row.height - el.clientHeight + SCALE_BAR_CLEARANCE; // clear of the floating scale bar
    },
    [layout],
  );

  // Keyboard: navigation and selection (zoom, bins and export are the app's). A layout effect, so the
  // handler sees this render's focus and layout before the next key event is processed.
  useLayoutEffect(() => {
    if (!keyboardActive) return;
    const onKey = (e: KeyboardEvent) => {
      // A focused slider, button or field keeps its own keys; the mosaic acts when focus is on it or the page.
      if (controlOwnsKey(e) || targets.length === 0) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key;
      if (mod && (key === 'a' || key === 'A')) {
        e.preventDefault();
        dispatch(e.shiftKey ? { type: 'none' } : { type: 'all', order: targets });
        return;
      }
      if (mod && (key === 'i' || key === 'I')) {
        e.preventDefault();
        dispatch({ type: 'invert', order: targets });
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
          next = pageTile(layout, Math.max(0, from < 0 ? layout.rows[firstVisible]?.start ?? 0 : from), viewport.height, 'down');
          break;
        case 'PageUp':
          next = pageTile(layout, Math.max(0, from < 0 ? layout.rows[firstVisible]?.start ?? 0 : from), viewport.height, 'up');
          break;
        case 'Home':
          next = 0;
          break;
        case 'End':
          next = targets.length - 1;
          break;
        case ' ':
          e.preventDefault();
          dispatch({ type: 'toggle', target: targets[from < 0 ? 0 : from]! });
          if (from < 0) scrollIndexIntoView(0);
          return;
        case 'Enter':
          if (from >= 0) {
            e.preventDefault();
            onActivate(targets[from]!);
          }
          return;
        default:
          return;
      }
      if (next < 0) return;
      e.preventDefault();
      dispatch({ type: 'move', target: targets[next]!, order: targets, extend: e.shiftKey });
      scrollIndexIntoView(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyboardActive, targets, focusIndex, layout, dispatch, onActivate, scrollIndexIntoView, viewport.height, firstVisible]);

  const onClick = (e: ReactMouseEvent) => {
    const target = targetOf(e.target);
    if (target === null) return;
    if (e.shiftKey) dispatch({ type: 'range', target, order: targets, additive: e.ctrlKey || e.metaKey });
    else if (e.ctrlKey || e.metaKey) dispatch({ type: 'toggle', target });
    else dispatch({ type: 'click', target });
  };

  const onDoubleClick = (e: ReactMouseEvent) => {
    const target = targetOf(e.target);
    if (target !== null) onActivate(target);
  };

  // Rubber band: drag on the background between tiles.
  const onMouseDown = (e: ReactMouseEvent) => {
    const el = scrollRef.current;
    if (e.button !== 0 || !el || targetOf(e.target) !== null) return;
    // A click on the scrollbar is not a drag.
    if (e.clientX - el.getBoundingClientRect().left >= el.clientWidth) return;
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
      if (!moved && Math.abs(rect.w) + Math.abs(rect.h) < 4) return;
      moved = true;
      setBand(rect);
      const hits = tilesInRect(layout, { x: rect.x - MOSAIC_PADDING, y: rect.y - MOSAIC_PADDING, w: rect.w, h: rect.h }).map((i) => targets[i]!);
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
      if (!moved && !additive) dispatch({ type: 'none' });
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('mouseup', onUp);
    el.addEventListener('scroll', update);
  };

  const items = virtualizer.getVirtualItems();
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
      onClick={onClick}
      onDoubleClick={onDoubleClick}
      onMouseDown={onMouseDown}
    >
      <div className="mosaic-content" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = layout.rows[item.index]!;
          return (
            <div key={item.key} className="mosaic-row" role="row" style={{ transform: `translateY(${row.y + MOSAIC_PADDING}px)`, height: row.height }}>
              {row.tiles.map((t) => {
                const i = order[t.index]!;
                const target = targets[t.index]!;
                return (
                  <Tile
                    key={target}
                    target={target}
                    x={t.x + MOSAIC_PADDING}
                    w={t.w}
                    h={t.h}
                    nativeW={table.width[i]!}
                    nativeH={table.height[i]!}
                    scalePercent={Math.round(t.scale * 100)}
                    downscaled={t.downscaled}
                    selected={selection.selected.has(target)}
                    focused={selection.focus === target}
                    pxPerUm={pxPerUm}
                    register={register}
                  />
                );
              })}
            </div>
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
