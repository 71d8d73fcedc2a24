/**
 * The marks of a tile drawn on the mosaic's canvas, for tiles whose element is not mounted (rows that came into view
 * during a fling, lib/fling.ts, or in the frame before React mounts them): the selection border, the focus ring and
 * the class chip as a colour bar. They sit where the tile elements' CSS draws them (styles/app.css `.tile.is-selected`,
 * `.tile.is-focused`, styles/classes.css `.tile-class.is-compact`), so nothing jumps when the element arrives.
 */

/** The part of a 2D context the marks use (Node tests record it). */
export type MarkContext = Pick<CanvasRenderingContext2D, 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'strokeRect' | 'setLineDash'>;

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
