/**
 * The page-side half of `--smoke-test` against the real renderer (Chromium over the loopback bridge stands in for
 * Electron's window): a bin opened as the OS opens it reaches the mosaic, PAINTED_TILES_SCRIPT finds painted
 * tiles at native size, and canvasPixelsScript reads one back so that comparePixels finds it equal to the
 * reader's pixels — and a different ROI's pixels not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { openBin } from '../../main/ifcb/bin.ts';
import { PAINTED_TILES_SCRIPT, canvasPixelsScript, comparePixels, pickTile, type PaintedTile } from '../../main/shell/smoke-test.ts';
import { SAMPLE } from '../helpers/data.ts';
import { launchBrowser, openViewer, startViewer, type ViewerPage } from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('smoke test probe on the real mosaic', () => {
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    // `files` goes through deliverOsOpen, the path a double-click (and the smoke test's launch argument) takes
    server = await startViewer({ files: [`${SAMPLE.B}.adc`] });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds a native-size painted tile and reads back exactly the reader’s pixels', async () => {
    const images = openBin(`${SAMPLE.B}.adc`).images;
    // Polled from here as the Electron self-check polls (page.waitForFunction with a string would eval it in the
    // page, which the CSP forbids once the first check fails: tiles arrive from the worker a little later).
    const probe = await waitFor(async () => {
      const p = (await v.page.evaluate(PAINTED_TILES_SCRIPT)) as { dpr: number; tiles: PaintedTile[] };
      return p.tiles.length > 0 && p;
    }, 30_000, 'a painted tile');
    assert.equal(probe.dpr, 1);
    const tile = pickTile(probe.tiles, (t) => (images.has(t) ? images.geometry(t) : undefined));
    assert.ok(tile, JSON.stringify(probe.tiles.slice(0, 3)));
    assert.equal(tile.target, 7, 'the first ROI of bin B');
    const rgba = (await v.page.evaluate(canvasPixelsScript(tile))) as number[];
    assert.equal(rgba.length, 4 * tile.width * tile.height);
    assert.deepEqual(comparePixels(images.get(tile.target).pixels, rgba, tile.width), { pixels: 88 * 34, mismatched: 0, maxDifference: 0, firstMismatch: null });
    const other = images.get(11);
    assert.ok(comparePixels(other.pixels, rgba, tile.width).mismatched > 0);
    assert.deepEqual(v.errors, []);
  });
});
