/**
 * `IFCB Viewer --smoke-test BIN.adc [--out DIR]`: the packaged app checks itself. The Electron part
 * (main/electron/smoke-test.ts) opens the bin the way a double-click does, waits for the mosaic, and asks the
 * page two questions with the scripts below; everything it decides — the plan, which tile to read, whether its
 * pixels are the reader's, the report and the exit code — is here, pure and tested under Node.
 */
import path from 'node:path';
import { isBinFile, type LaunchArgs } from './launch-args.ts';

export interface SmokePlan {
  /** The bin file to open (absolute). */
  bin: string;
  /** Folder for report.json and screenshot.png (absolute). */
  out: string;
  /** Give up waiting for the mosaic after this long. */
  timeoutMs: number;
}

export const SMOKE_TIMEOUT_MS = 60_000;
export const SMOKE_REPORT_FILE = 'smoke-report.json';
export const SMOKE_SCREENSHOT_FILE = 'smoke-screenshot.png';

/** The plan for a launch with `--smoke-test`, a usage error, or null for a normal launch. */
export function smokePlan(launch: LaunchArgs, cwd: string): SmokePlan | { error: string } | null {
  if (launch.smokeTest === null) return launch.out === null ? null : { error: '--out is only used with --smoke-test BIN.adc' };
  if (!isBinFile(launch.smokeTest)) return { error: `--smoke-test needs a bin file (<bin id>.adc, .hdr or .roi), got ${launch.smokeTest}` };
  return { bin: launch.smokeTest, out: launch.out ?? path.resolve(cwd, 'ifcb-viewer-smoke'), timeoutMs: SMOKE_TIMEOUT_MS };
}

/** A painted mosaic tile as the page reports it, in CSS pixels relative to the mosaic canvas. */
export interface PaintedTile {
  target: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Page script: the painted tiles fully inside the mosaic canvas, plus the device pixel ratio (the smoke test
 * forces 1 so one canvas pixel is one ROI pixel). Reads the DOM only; changes nothing.
 */
export const PAINTED_TILES_SCRIPT = `(() => {
  const canvas = document.querySelector('canvas.mosaic-canvas');
  if (!canvas) return { dpr: window.devicePixelRatio, tiles: [] };
  const c = canvas.getBoundingClientRect();
  const tiles = [];
  for (const el of document.querySelectorAll('.tile[data-state="painted"]:not(.is-downscaled)')) {
    const r = el.getBoundingClientRect();
    const x = Math.round(r.left - c.left), y = Math.round(r.top - c.top);
    if (x < 0 || y < 0 || x + r.width > c.width || y + r.height > c.height) continue;
    tiles.push({ target: Number(el.dataset.target), x, y, width: Math.round(r.width), height: Math.round(r.height) });
  }
  return { dpr: window.devicePixelRatio, tiles };
})()`;

/** Page script: the RGBA bytes of one rectangle of the mosaic canvas, as a plain array. */
export function canvasPixelsScript(tile: PaintedTile): string {
  const rect = [tile.x, tile.y, tile.width, tile.height].map((v) => Math.trunc(v)).join(', ');
  return `Array.from(document.querySelector('canvas.mosaic-canvas').getContext('2d').getImageData(${rect}).data)`;
}

/** The first painted tile drawn at its native size (1:1, so its pixels must equal the reader's exactly). */
export function pickTile(tiles: readonly PaintedTile[], nativeSize: (target: number) => { width: number; height: number } | undefined): PaintedTile | null {
  for (const t of tiles) {
    const size = nativeSize(t.target);
    if (size && size.width === t.width && size.height === t.height && t.width > 0 && t.height > 0) return t;
  }
  return null;
}

export interface PixelComparison {
  pixels: number;
  /** Pixels whose gray level differs, or that are not gray (R, G, B unequal) or not opaque. */
  mismatched: number;
  maxDifference: number;
  firstMismatch: { x: number; y: number; expected: number; actual: [number, number, number, number] } | null;
}

/** Compare the reader's gray pixels with the canvas's RGBA read-back, pixel by pixel. */
export function comparePixels(expected: Uint8Array, rgba: ArrayLike<number>, width: number): PixelComparison {
  let mismatched = 0;
  let maxDifference = 0;
  let firstMismatch: PixelComparison['firstMismatch'] = null;
  const pixels = Math.max(expected.length, Math.floor(rgba.length / 4));
  for (let i = 0; i < pixels; i++) {
    const want = i < expected.length ? expected[i]! : -1;
    const px: [number, number, number, number] = [rgba[4 * i] ?? -1, rgba[4 * i + 1] ?? -1, rgba[4 * i + 2] ?? -1, rgba[4 * i + 3] ?? -1];
    const difference = want < 0 || px[0] < 0 ? 255 : Math.max(Math.abs(px[0] - want), Math.abs(px[1] - want), Math.abs(px[2] - want));
    if (difference === 0 && px[3] === 255) continue;
    mismatched++;
    maxDifference = Math.max(maxDifference, difference);
    firstMismatch ??= { x: i % width, y: Math.floor(i / width), expected: want, actual: px };
  }
  return { pixels, mismatched, maxDifference, firstMismatch };
}

export interface SmokeReport {
  ok: boolean;
  bin: string;
  /** What failed, in a sentence (null when ok). */
  failure: string | null;
  appVersion: string;
  electron: string;
  platform: string;
  /** Milliseconds from start to the first painted tile. */
  paintedAfterMs: number | null;
  tile: PaintedTile | null;
  comparison: PixelComparison | null;
  screenshot: string | null;
}

/** The report's verdict: ok only when a tile was read back and every pixel matched. */
export function smokeVerdict(tile: PaintedTile | null, comparison: PixelComparison | null, failure: string | null): { ok: boolean; failure: string | null } {
  if (failure !== null) return { ok: false, failure };
  if (tile === null) return { ok: false, failure: 'no tile was painted at its native size' };
  if (comparison === null) return { ok: false, failure: 'the tile was not read back' };
  if (comparison.mismatched > 0) return { ok: false, failure: `${comparison.mismatched} of ${comparison.pixels} pixels of ROI ${tile.target} differ from the reader (max difference ${comparison.maxDifference})` };
  return { ok: true, failure: null };
}

export const smokeExitCode = (report: Pick<SmokeReport, 'ok'>): number => (report.ok ? 0 : 1);
