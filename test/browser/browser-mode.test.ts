/**
 * The browser mode as a user meets it: "Open bin…" asks for a path and a wrong one keeps the open bin, and the
 * export dialog hands a zip of the selection to the browser's own download.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import { openBin } from '../../main/ifcb/bin.ts';
import { SAMPLE } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { launchBrowser, openBinByPath, openViewer, startViewer, waitForPaintedTiles, type ViewerPage } from '../helpers/browser.ts';
import { decodeGray } from '../node/export/decode.ts';
import { readZip } from '../node/export/zip-read.ts';

describe('browser mode', () => {
  let dir: string;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    dir = makeTempDir('ifcb-browser-mode-');
    server = await startViewer();
    browser = await launchBrowser();
    v = await openViewer(browser, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    removeTempDir(dir);
  });

  test('a path that is no bin is explained in the Open dialog and the open bin stays', async () => {
    const p = v.page;
    await openBinByPath(p, `${SAMPLE.C}.adc`, 'D20220522T003051_IFCB134');
    await waitForPaintedTiles(p);
    await p.keyboard.press('Control+o');
    const dialog = p.getByRole('dialog', { name: 'Open bin' });
    await dialog.getByRole('textbox').fill(path.join(dir, 'D20990101T000000_IFCB999.adc'));
    await dialog.getByRole('textbox').press('Enter');
    await dialog.locator('.error-code').waitFor();
    assert.equal(await dialog.locator('.error-code').textContent(), 'FILE_MISSING');
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await p.textContent('[data-testid="status-bin"]'), 'D20220522T003051_IFCB134');
    assert.equal(await p.locator('.tile').count(), 2);
  });

  test('"Download .zip" saves the selected images through the browser', async () => {
    const p = v.page;
    await openBinByPath(p, `${SAMPLE.B}.adc`, 'D20130526T095207_IFCB013');
    await waitForPaintedTiles(p);
    await p.click('.tile[data-target="7"]');
    await p.click('.tile[data-target="32"]', { modifiers: ['Control'] });
    await p.locator('.mosaic-scroll').focus();
    await p.keyboard.press('Control+e');
    const dialog = p.getByRole('dialog', { name: 'Export selection' });
    await dialog.waitFor();
    await dialog.getByLabel('One .zip file').check();
    const [download] = await Promise.all([p.waitForEvent('download'), dialog.getByRole('button', { name: 'Download .zip' }).click()]);
    assert.equal(download.suggestedFilename(), 'D20130526T095207_IFCB013.zip');
    const file = path.join(dir, 'saved.zip');
    await download.saveAs(file);
    assert.equal(await dialog.getByTestId('export-download').textContent(), 'Your browser saves the zip as soon as it is written.');
    const entries = readZip(file);
    // metadata.csv is ticked by default
    assert.deepEqual(entries.map((e) => e.name).sort(), ['D20130526T095207_IFCB013_00007.png', 'D20130526T095207_IFCB013_00032.png', 'metadata.csv']);
    const bin = openBin(SAMPLE.B);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    for (const e of entries.filter((x) => x.name.endsWith('.png'))) assert.equal(sha(decodeGray(e.data).pixels), sha(bin.images.get(Number(e.name.slice(-9, -4))).pixels));
    assert.deepEqual(readdirSync(dir), ['saved.zip']);
    assert.deepEqual(v.errors, []);
  });
});
