/**
 * The viewer on the spec's sample bins (../shared/docs/ifcb-format.md §11), in Chromium over the loopback
 * bridge: tile counts, raw pixels read back from the mosaic canvas at 100 % zoom, the stitched
 * schema-1 ROI, and the in-place states for a missing .roi, an empty bin and a file that vanished.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { DATA_ROOT, SAMPLE } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { RENDERER_DIR, launchBrowser, openBinByPath, openViewer, paintedPixels, startViewer, tileTargets, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { contentSecurityPolicy } from '../../main/shell/csp.ts';

describe('viewer on the sample bins', () => {
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  let tmp: string;

  before(async () => {
    tmp = makeTempDir('ifcb-viewer-bins-');
    server = await startViewer({ roots: [DATA_ROOT, tmp] });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    removeTempDir(tmp);
  });

  test('bin A (schema 1): 5 tiles after stitching, ROI 1 raw pixels, ROI 3 stitched 263 × 86', async () => {
    await openBinByPath(v.page, `${SAMPLE.A}.roi`, 'IFCB5_2012_028_081515');
    await waitForPaintedTiles(v.page);
    assert.deepEqual(await tileTargets(v.page), [1, 2, 3, 5, 6]);
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), '5 / 5 images');
    assert.deepEqual(await paintedPixels(v.page, 1), { sha: 'd2dc426fa926ea5ea3025494ba9627a46d04633ab5976e564bc50cd9f4aed14b', width: 96, height: 45 });
    assert.deepEqual(await paintedPixels(v.page, 3), { sha: '2a3db93b4c24959a055c3002655ccb8fed0d1637463a8d5ec9f601bc49d6c15f', width: 263, height: 86 });
    assert.equal(await v.page.title(), 'IFCB5_2012_028_081515 — IFCB Viewer');
  });

  test('bin B (schema 2): 19 tiles in target order, ROI 7 raw pixels at 1:1', async () => {
    await openBinByPath(v.page, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(v.page);
    assert.deepEqual(await tileTargets(v.page), [7, 11, 13, 21, 32, 33, 47, 49, 54, 61, 66, 68, 73, 78, 80, 92, 99, 102, 114]);
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), '19 / 19 images');
    assert.deepEqual(await paintedPixels(v.page, 7), { sha: 'e01583a7fa2f689ebfeb21c37041001e9e0665f3b273fcc1bfc60a7cbdfabdfd', width: 88, height: 34 });
  });

  test('bin C: 2 tiles, ROI 2 raw pixels', async () => {
    await openBinByPath(v.page, `${SAMPLE.C}.hdr`, 'D20220522T003051_IFCB134');
    await waitForPaintedTiles(v.page);
    assert.deepEqual(await tileTargets(v.page), [2, 3]);
    assert.deepEqual(await paintedPixels(v.page, 2), { sha: 'c276174049616fa1ba6045248eaf0362c40aacdb5ed522c67164876af17161b0', width: 176, height: 82 });
  });

  test('bin D without .roi: explained in place with its code, metadata in the inspector', async () => {
    await openBinByPath(v.page, `${SAMPLE.D}.adc`, 'D20230810T113059_IFCB134');
    const panel = v.page.locator('.state-panel.state-error');
    await panel.waitFor();
    assert.equal(await panel.locator('.state-title').textContent(), 'The .roi file of D20230810T113059_IFCB134 is missing');
    assert.equal(await panel.locator('.error-code').textContent(), 'Error code FILE_MISSING');
    assert.equal(await v.page.locator('.tile').count(), 0);
    const adcRows = v.page.locator('.inspector .field', { hasText: 'ADC rows' }).locator('dd');
    assert.equal(await adcRows.textContent(), '45');
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), '0 / 33 images');
  });

  test('an empty bin says so in place', async () => {
    await openBinByPath(v.page, `${SAMPLE.emptyV2}.adc`, 'D20150411T205456_IFCB012');
    const panel = v.page.locator('.state-panel.state-empty');
    await panel.waitFor();
    assert.equal(await panel.locator('.state-title').textContent(), 'D20150411T205456_IFCB012 has no images');
    assert.match((await panel.textContent()) ?? '', /The \.adc file has no rows/);
  });

  test('a .roi that vanishes while the bin is open: a banner with the code, the page keeps working', async () => {
    const bin = writeSyntheticBin(tmp, { targets: 3000, seed: 7, minSize: 40, maxSize: 120 });
    await openBinByPath(v.page, `${bin.base}.roi`, bin.id);
    await waitForPaintedTiles(v.page);
    rmSync(bin.paths.roi);
    await v.page.locator('.mosaic-scroll').focus();
    await v.page.keyboard.press('End');
    const banner = v.page.locator('.mosaic-banner .error-note');
    await banner.waitFor();
    const code = await banner.locator('.error-code').textContent();
    assert.ok(code === 'FILE_MISSING' || code === 'FILE_UNREADABLE', `code ${code}`);
    assert.match((await banner.textContent()) ?? '', new RegExp(`Images of ${bin.id} could not be read`));
    // The last tiles are shown as failed placeholders of the right size, not a blank page.
    const last = bin.images[bin.images.length - 1]!;
    const tile = v.page.locator(`.tile[data-target="${last.target}"]`);
    await tile.waitFor();
    await v.page.waitForFunction((t) => document.querySelector(`.tile[data-target="${t}"]`)?.getAttribute('data-state') === 'error', last.target);
    // drawn in the stylesheet's error colour, which follows the OS colour scheme as it changes
    const centre = (t: number) =>
      v.page.evaluate(async (target) => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const box = document.querySelector(`.tile[data-target="${target}"]`)!.getBoundingClientRect();
        const canvas = document.querySelector<HTMLCanvasElement>('.mosaic-canvas')!;
        const origin = canvas.getBoundingClientRect();
        return [...canvas.getContext('2d')!.getImageData(box.left - origin.left + box.width / 2, box.top - origin.top + box.height / 2, 1, 1).data];
      }, t);
    assert.deepEqual(await centre(last.target), [0xeb, 0xcf, 0xcd, 255]);
    await v.page.emulateMedia({ colorScheme: 'dark' });
    assert.deepEqual(await centre(last.target), [0x5c, 0x36, 0x33, 255]);
    await v.page.emulateMedia({ colorScheme: 'light' });

    // Re-opening the open bin reloads it: a fresh loader with no failures reads the restored .roi.
    const twin = writeSyntheticBin(mkdtempSync(path.join(tmp, 'twin-')), { targets: 3000, seed: 7, minSize: 40, maxSize: 120 });
    assert.equal(twin.id, bin.id);
    copyFileSync(twin.paths.roi, bin.paths.roi);
    await openBinByPath(v.page, `${bin.base}.roi`, bin.id);
    await v.page.waitForFunction(() => !document.querySelector('.mosaic-banner') && document.querySelectorAll('.tile').length > 0);
    await waitForPaintedTiles(v.page);
    await v.page.locator('.mosaic-scroll').focus();
    await v.page.keyboard.press('End');
    await v.page.waitForFunction((t) => document.querySelector(`.tile[data-target="${t}"]`)?.getAttribute('data-state') === 'painted', last.target);
    assert.equal(await v.page.locator('.mosaic-banner').count(), 0);
    assert.equal(await v.page.locator('.tile[data-state="error"]').count(), 0);
  });

  test('a truncated .roi says how many images lie past its end (the trial read "381 / 381 images")', async () => {
    const dir = mkdtempSync(path.join(tmp, 'truncated-'));
    const bin = writeSyntheticBin(dir, { targets: 60, seed: 5, minSize: 20, maxSize: 60 });
    const size = bin.images[40]!.byteOffset + 10; // cut inside image 41's bytes
    truncateSync(bin.paths.roi, size);
    const past = bin.images.filter((im) => im.byteOffset + im.width * im.height > size).length;
    assert.equal(past, bin.images.length - 40);
    await openBinByPath(v.page, `${bin.base}.adc`, bin.id);
    await v.page.locator('[data-testid="status-truncated"]').waitFor();
    assert.equal(await v.page.textContent('[data-testid="status-truncated"]'), `${past} past the end of the .roi`);
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), `${bin.images.length} / ${bin.images.length} images`);
  });

  test('a bin opened before its .roi was written shows its images when re-opened', async () => {
    const options = { targets: 40, seed: 11, epochMs: Date.UTC(2024, 2, 3, 4, 5, 6) };
    const partial = writeSyntheticBin(tmp, { ...options, withRoi: false });
    await openBinByPath(v.page, `${partial.base}.adc`, partial.id);
    const panel = v.page.locator('.state-panel.state-error');
    await panel.waitFor();
    assert.equal(await panel.locator('.state-title').textContent(), `The .roi file of ${partial.id} is missing`);
    // The instrument finishes the bin: its .roi appears beside the .adc and .hdr.
    const complete = writeSyntheticBin(mkdtempSync(path.join(tmp, 'complete-')), options);
    assert.equal(complete.id, partial.id);
    copyFileSync(complete.paths.roi, partial.paths.roi);
    await openBinByPath(v.page, `${partial.base}.adc`, partial.id);
    await waitForPaintedTiles(v.page);
    assert.equal(await v.page.locator('.state-panel.state-error').count(), 0);
    assert.equal(await v.page.textContent('[data-testid="status-images"]'), `${complete.images.length} / ${complete.images.length} images`);
  });

  test('Ctrl+O before main has said what it offers waits for it, then shows the path field', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      // Hold app:get-info until the shortcut has been pressed.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let asked!: () => void;
      const infoAsked = new Promise<void>((r) => (asked = r));
      await page.route('**/api/app:get-info', async (route) => {
        asked();
        await held;
        await route.continue();
      });
      await page.goto(server.url);
      await infoAsked;
      await page.waitForSelector('.app[data-ready="false"]');
      await page.keyboard.press('Control+o');
      // Nothing happens yet: no dialog, no NOT_AVAILABLE error from a native dialog the bridge cannot show.
      assert.equal(await page.getByRole('dialog').count(), 0);
      release();
      await page.waitForSelector('.app[data-ready="true"]');
      const input = page.getByRole('dialog').getByRole('textbox');
      await input.fill(`${SAMPLE.C}.adc`);
      await input.press('Enter');
      await page.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20220522T003051_IFCB134');
      assert.equal(await page.locator('.state-panel.state-error').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('no console errors on the way (a CSP violation would be one)', () => {
    assert.deepEqual(v.errors, []);
  });

  test('the built page keeps the strict CSP: no inline script or style, CSP meta = the header policy', () => {
    const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    assert.ok(meta, 'CSP meta present');
    // The header main sends, minus what a <meta> policy cannot carry (ignored there by the CSP spec).
    const META_IGNORED = new Set(['frame-ancestors', 'report-uri', 'sandbox']);
    const expected = contentSecurityPolicy()
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d !== '' && !META_IGNORED.has(d.split(/\s+/)[0]!))
      .join('; ');
    assert.equal(meta[1], expected);
    assert.match(expected, /img-src 'self' blob:(;|$)/);
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1);
    for (const [tag, body] of scripts) {
      assert.match(tag, /src="\.\/assets\//);
      assert.equal(body!.trim(), '');
    }
    assert.doesNotMatch(html, /<style\b|\sstyle=/);
  });
});
