/**
 * Remembered window size/position: parsed from untrusted JSON on disk and fitted onto the current displays,
 * so a window saved on an unplugged monitor comes back visible.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 640, height: 480 };
/** At least this much of the title bar must be on a display. */
const VISIBLE_MARGIN = 64;

function isFiniteInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;
}

/** Parse saved state; null for anything malformed. */
export function parseWindowState(text: string | null): WindowState | null {
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as { bounds?: Partial<Rect>; maximized?: unknown };
  const b = r.bounds;
  if (!b || !isFiniteInt(b.x) || !isFiniteInt(b.y) || !isFiniteInt(b.width) || !isFiniteInt(b.height)) return null;
  return { bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) }, maximized: r.maximized === true };
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Fit saved bounds onto the work areas: clamp the size to the display, and keep the window where it was only
 * if enough of its top edge is visible on some display; otherwise centre it on the primary one (the OS's, from
 * `screen.getPrimaryDisplay()`: the order of `getAllDisplays()` says nothing about which is primary). `saved`
 * null → default size centred on the primary display.
 */
export function fitWindowBounds(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const centre = (width: number, height: number): Rect => ({
    width,
    height,
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
  });
  if (saved === null) {
    const w = Math.min(DEFAULT_SIZE.width, primary.width);
    const h = Math.min(DEFAULT_SIZE.height, primary.height);
    return { bounds: centre(w, h), maximized: false };
  }
  const titleBar = (r: Rect): Rect => ({ x: r.x, y: r.y, width: r.width, height: Math.min(r.height, 32) });
  const home = workAreas.find((area) => {
    const o = overlap(titleBar(saved.bounds), area);
    return o.w >= VISIBLE_MARGIN && o.h > 0;
  });
  const area = home ?? primary;
  const width = Math.max(MIN_SIZE.width, Math.min(saved.bounds.width, area.width));
  const height = Math.max(MIN_SIZE.height, Math.min(saved.bounds.height, area.height));
  if (!home) return { bounds: centre(Math.min(width, primary.width), Math.min(height, primary.height)), maximized: saved.maximized };
  const x = Math.min(Math.max(saved.bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(saved.bounds.y, area.y), area.y + area.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized };
}
