/**
 * How wide the side panes are drawn in a window of a given width. The widths the user dragged to are
 * remembered as wishes; when the window is too narrow for them and a useful mosaic, both panes give way in
 * proportion to how far each is above its minimum. They never go below their minimums. Unless the user
 * chose to show or hide the inspector, it shows only in windows wide enough for it next to a roomy mosaic,
 * so a 1024 px window opens with library and mosaic, and the inspector one click (or Enter) away.
 */

export const LIBRARY_WIDTH = { min: 200, max: 520 } as const;
export const INSPECTOR_WIDTH = { min: 220, max: 640 } as const;
/** The mosaic, toolbar and status bar need this much before the panes are shrunk for it. */
export const CENTRE_MIN_WIDTH = 600;
/** The narrowest window that shows the inspector when the user has not chosen (library and inspector at their minimums and a 760 px centre). */
export const AUTO_INSPECTOR_MIN_WINDOW = 1200;
/** The two 1 px splitters. */
const SPLITTERS = 2;

export interface PaneWidths {
  library: number;
  /** null when the inspector is hidden. */
  inspector: number | null;
}

export interface WantedPanes {
  library: number;
  inspector: number;
  /** The user's choice: true shown, false hidden, null not chosen (automatic by window width). */
  inspectorShown: boolean | null;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The widths to draw for the `wanted` ones in a window `windowWidth` px wide (whole pixels). */
export function paneWidths(windowWidth: number, wanted: WantedPanes): PaneWidths {
  const shown = wanted.inspectorShown ?? windowWidth >= AUTO_INSPECTOR_MIN_WINDOW;
  const library = clamp(wanted.library, LIBRARY_WIDTH.min, LIBRARY_WIDTH.max);
  const inspector = shown ? clamp(wanted.inspector, INSPECTOR_WIDTH.min, INSPECTOR_WIDTH.max) : null;
  const over = library + (inspector ?? 0) + SPLITTERS + CENTRE_MIN_WIDTH - windowWidth;
  if (over <= 0) return { library, inspector };
  const slackLibrary = library - LIBRARY_WIDTH.min;
  const slackInspector = inspector === null ? 0 : inspector - INSPECTOR_WIDTH.min;
  const slack = slackLibrary + slackInspector;
  if (slack === 0) return { library, inspector };
  const give = Math.min(over, slack);
  const libraryGives = Math.round((give * slackLibrary) / slack);
  return {
    library: library - libraryGives,
    inspector: inspector === null ? null : inspector - (give - libraryGives),
  };
}
