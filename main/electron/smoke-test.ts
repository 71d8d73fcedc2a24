/**
 * `--smoke-test BIN --out DIR`, the Electron side (decisions in main/shell/smoke-test.ts): with the bin already
 * opened through the launch path a double-click takes, wait until the hidden window's mosaic has painted a tile
 * at native size, read that tile's pixels back from the canvas, compare them with the reader's, save a screenshot
 * and a JSON report. Resolves to the exit code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { app, type BrowserWindow } from 'electron';
import { openBin } from '../ifcb/bin.ts';
import {
  PAINTED_TILES_SCRIPT,
  SMOKE_REPORT_FILE,
  SMOKE_SCREENSHOT_FILE,
  canvasPixelsScript,
  comparePixels,
  pickTile,
  smokeExitCode,
  smokeVerdict,
  type PaintedTile,
  type PixelComparison,
  type SmokePlan,
  type SmokeReport,
} from '../shell/smoke-test.ts';

/** How often the page is asked whether the mosaic has painted yet. */
const POLL_INTERVAL_MS = 100;

export async function runSmokeTest(plan: SmokePlan, win: BrowserWindow): Promise<number> {
  const started = Date.now();
  let failure: string | null = null;
  let tile: PaintedTile | null = null;
  let comparison: PixelComparison | null = null;
  let paintedAfterMs: number | null = null;
  let screenshot: string | null = null;
  win.webContents.once('render-process-gone', (_event, details) => {
    failure = `the page's process ended (${details.reason})`;
  });
  try {
    fs.mkdirSync(plan.out, { recursive: true });
    const images = openBin(plan.bin).images;
    const nativeSize = (target: number) => (images.has(target) ? images.geometry(target) : undefined);
    while (failure === null && tile === null) {
      if (!win.webContents.isLoading()) {
        const probe = (await win.webContents.executeJavaScript(PAINTED_TILES_SCRIPT)) as { dpr: number; tiles: PaintedTile[] };
        if (probe.dpr !== 1) failure = `the page runs at device pixel ratio ${probe.dpr}, not 1`;
        tile = pickTile(probe.tiles, nativeSize);
      }
      if (tile === null && Date.now() - started > plan.timeoutMs) failure = `no ROI was painted within ${plan.timeoutMs / 1000} s`;
      if (tile === null && failure === null) await delay(POLL_INTERVAL_MS);
    }
    if (tile !== null && failure === null) {
      paintedAfterMs = Date.now() - started;
      const rgba = (await win.webContents.executeJavaScript(canvasPixelsScript(tile))) as number[];
      comparison = comparePixels(images.get(tile.target).pixels, rgba, tile.width);
    }
    const png = (await win.webContents.capturePage()).toPNG();
    screenshot = path.join(plan.out, SMOKE_SCREENSHOT_FILE);
    fs.writeFileSync(screenshot, png);
  } catch (e) {
    failure ??= e instanceof Error ? e.message : String(e);
  }
  const report: SmokeReport = {
    ...smokeVerdict(tile, comparison, failure),
    bin: plan.bin,
    appVersion: app.getVersion(),
    electron: process.versions.electron ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    paintedAfterMs,
    tile,
    comparison,
    screenshot,
  };
  try {
    fs.writeFileSync(path.join(plan.out, SMOKE_REPORT_FILE), JSON.stringify(report, null, 2) + '\n');
  } catch (e) {
    console.error('[ifcb] smoke test: could not write the report', e);
    report.ok = false;
  }
  console.log(report.ok ? `smoke test passed: ROI ${tile?.target} matches the reader (${report.comparison?.pixels} pixels)` : `smoke test FAILED: ${report.failure}`);
  return smokeExitCode(report);
}
