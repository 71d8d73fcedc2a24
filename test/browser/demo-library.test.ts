/**
 * The first-run demo library in the viewer: labelled "Demo", its bins listed and their plankton images painted
 * (screenshot test-output/screenshots/demo-library.png), and removable from the library pane.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { prepareDemoLibrary } from '../../main/demo/demo-library.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { indexedCatalogue, launchBrowser, openViewer, screenshot, startViewer, waitForPaintedTiles, type ViewerPage } from '../helpers/browser.ts';

describe('the demo library', () => {
  let dir: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    dir = makeTempDir('ifcb-viewer-demo-');
    const demo = prepareDemoLibrary(dir, 0)!;
    const indexed = await indexedCatalogue(dir, [demo], {});
    catalogue = indexed.catalogue;
    server = await startViewer({ catalogue: indexed.port });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1280, height: 800 });
    await v.page.waitForSelector('.bin-row');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await catalogue?.close();
    removeTempDir(dir);
  });

  test('the demo folder is labelled Demo and lists its five bins, newest first', async () => {
    const p = v.page;
    const root = p.locator('.root');
    assert.equal(await root.count(), 1);
    assert.equal(await root.locator('.badge').textContent(), 'Demo');
    assert.equal(await root.getAttribute('title'), path.join(dir, 'demo-library'));
    assert.deepEqual(await p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin'))), [
      'D20240615T160000_IFCB101',
      'D20240615T134500_IFCB101',
      'D20240615T113000_IFCB101',
      'D20240615T091500_IFCB101',
      'IFCB5_2012_167_120000',
    ]);
  });

  test('a demo bin opens and paints its plankton', async () => {
    const p = v.page;
    await p.click('.bin-row[data-bin="D20240615T091500_IFCB101"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20240615T091500_IFCB101');
    await waitForPaintedTiles(p);
    assert.ok((await p.locator('.tile').count()) > 20);
    await screenshot(p, 'demo-library');
  });

  test('the demo can be removed from the library', async () => {
    const p = v.page;
    await p.getByRole('button', { name: 'Remove the demo library' }).click();
    await p.waitForFunction(() => document.querySelectorAll('.root').length === 0 && document.querySelectorAll('.bin-row').length === 0);
    assert.deepEqual(catalogue.listRoots(), []);
    assert.deepEqual(v.errors, []);
  });
});
