/**
 * The marks of a tile drawn on the mosaic's canvas, for tiles whose element is not mounted (rows that came into view
 * during a fling, lib/fling.ts, or in the frame before React mounts them): the selection border and ✓ badge, the focus
 * ring and the class chip as a colour bar. They sit where the tile elements' CSS draws them (styles/app.css
 * `.tile.is-selected`, `.tile.is-focused`, styles/classes.css `.tile-class.is-compact`), so nothing jumps when the
 * element arrives.
 */

/** The part of a 2D context the marks use (Node tests record it). */
export type MarkContext = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'strokeRect' | 'setLineDash' | 'beginPath' | 'arc' | 'moveTo' | 'lineTo' | 'fill' | 'stroke'
>;

export interface TileMarks {
  selected: boolean;
  focused: boolean;
  /** The class chip's colour in the current theme, and whether a person's label differs from the classifier. */
  chip: { colour: string; differs: boolean } | null;
}

/** The stylesheet's colours (--accent, --focus-ring, --danger). */
export interface MarkColours {
  accent: string;
  focusRing: string;
  danger: string;
}

/** Height of the chip's colour bar (the compact chip's), CSS px. */
export const CHIP_BAR = 4;
/** Selection border (2 px just outside the tile), focus ring (2 px dashed, 2 px further out), CSS px. */
const BORDER = 2;
const RING_OFFSET = 2;
const RING_DASH = [4, 3];
/** The ✓ badge: a 16 px accent disc 3 px inside the top-right corner, a 1.5 px light ring around it. */
const BADGE = 16;
const BADGE_INSET = 3;
const BADGE_RING = 1.5;
const BADGE_RING_COLOUR = 'rgba(255, 255, 255, 0.85)';
const BADGE_TICK = '#fff';

/** Draw the marks of the tile at (x, y), w × h CSS px. */
export function drawTileMarks(ctx: MarkContext, x: number, y: number, w: number, h: number, marks: TileMarks, colours: MarkColours): void {
  if (marks.chip) {
    const bar = Math.min(CHIP_BAR, h);
    ctx.fillStyle = marks.chip.colour;
    ctx.fillRect(x, y + h - bar, w, bar);
    if (marks.chip.differs) {
      ctx.fillStyle = colours.danger;
      ctx.fillRect(x, y + h - 1, w, 1);
    }
  }
  if (marks.selected) {
    // a stroke is centred on its path: 1 px out keeps the 2 px border wholly outside the tile
    ctx.strokeStyle = colours.accent;
    ctx.lineWidth = BORDER;
    ctx.strokeRect(x - BORDER / 2, y - BORDER / 2, w + BORDER, h + BORDER);
    drawBadge(ctx, x + w - BADGE_INSET - BADGE / 2, y + BADGE_INSET + BADGE / 2, colours.accent);
  }
  if (marks.focused) {
    const out = RING_OFFSET + BORDER / 2;
    ctx.strokeStyle = colours.focusRing;
    ctx.lineWidth = BORDER;
    ctx.setLineDash(RING_DASH);
    ctx.strokeRect(x - out, y - out, w + 2 * out, h + 2 * out);
    ctx.setLineDash([]);
  }
}

/** The selected tile's ✓ badge centred on (cx, cy): ring, disc, then the tick as two strokes. */
function drawBadge(ctx: MarkContext, cx: number, cy: number, accent: string): void {
  const r = BADGE / 2;
  ctx.beginPath();
  ctx.arc(cx, cy, r + BADGE_RING / 2, 0, 2 * Math.PI);
  ctx.strokeStyle = BADGE_RING_COLOUR;
  ctx.lineWidth = BADGE_RING;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, 2 * Math.PI);
  ctx.fillStyle = accent;
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(cx - 3.5, cy + 0.5);
  ctx.lineTo(cx - 1, cy + 3);
  ctx.lineTo(cx + 3.5, cy - 2.5);
  ctx.strokeStyle = BADGE_TICK;
  ctx.lineWidth = 2;
  ctx.stroke();
}
