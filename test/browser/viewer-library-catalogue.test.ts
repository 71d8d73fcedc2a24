/**
 * What the catalogue tells the library pane, on a small synthetic archive: search by any part of the id or
 * the instrument, every file not indexed with its reason, a bin id held by two folders listed once with the
 * other copy in the inspector; and launch paths that could not be opened, listed under "Open bins".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBinOptions } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openViewer, screenshot, startViewer } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';

const small = { targets: 4, emptyEvery: 0, minSize: 16, maxSize: 40 } satisfies SyntheticBinOptions;
const at = (iso: string) => Date.parse(iso);

const rowIds = (p: Page) => p.$$eval('.bin-row', (rows) => rows.map((r) => r.getAttribute('data-bin')));
/** The list once it shows exactly `ids` (in that order). */
const waitForRows = (p: Page, ids: string[]) =>
  p.waitForFunction((want) => [...document.querySelectorAll('.bin-row')].map((r) => r.getAttribute('data-bin')).join() === want.join(), ids);

const DUPLICATE = 'D20240502T120500_IFCB007';
const CORRUPT = 'D20240503T000000_IFCB007';
/** Every bin the list shows with no filter, newest first: the duplicate once, the unreadable bin too. */
const ALL = [CORRUPT, DUPLICATE, 'D20240501T120000_IFCB901', 'D20240501T031200_IFCB007', 'D20230501T090000_IFCB012'];

describe('library pane and the catalogue: search, not indexed, duplicates', () => {
  let dir: string;
  let data: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;

  before(async () => {
    dir = makeTempDir('ifcb-viewer-library-catalogue-');
    data = path.join(dir, 'data');
    const x = path.join(data, 'x');
    const y = path.join(data, 'y');
    mkdirSync(x, { recursive: true });
    mkdirSync(y);
    writeSyntheticBin(x, { ...small, epochMs: at('2024-05-01T12:00:00Z'), instrument: 901 });
    writeSyntheticBin(x, { ...small, epochMs: at('2024-05-01T03:12:00Z'), instrument: 7 });
    writeSyntheticBin(x, { ...small, epochMs: at('2024-05-02T12:05:00Z'), instrument: 7 });
    writeSyntheticBin(x, { ...small, epochMs: at('2023-05-01T09:00:00Z'), instrument: 12 });
    // The same id in y, without its .roi: the complete copy in x is the one listed.
    writeSyntheticBin(y, { ...small, epochMs: at('2024-05-02T12:05:00Z'), instrument: 7, withRoi: false });
    // Not indexed: a corrupted .adc, a fileset without its .hdr, a name that is no bin id.
    const corrupt = writeSyntheticBin(x, { ...small, epochMs: at('2024-05-03T00:00:00Z'), instrument: 7 });
    writeFileSync(corrupt.paths.adc, 'this,is,not\nan,adc\n');
    const incomplete = writeSyntheticBin(x, { ...small, epochMs: at('2024-05-04T00:00:00Z'), instrument: 7 });
    unlinkSync(incomplete.paths.hdr);
    writeFileSync(path.join(x, 'notabin.adc'), '1,2,3\n');

    const indexed = await indexedCatalogue(dir, [data]);
    catalogue = indexed.catalogue;
    server = await startViewer({ roots: [dir], catalogue: indexed.port });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    await waitForRows(v.page, ALL);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    removeTempDir(dir);
  });

  test('search finds any part of the id or the instrument name, in any case', async () => {
    const p = v.page;
    const search = p.getByRole('searchbox', { name: 'Search bins by id or instrument' });
    const cases: [string, string[]][] = [
      ['T12', [DUPLICATE, 'D20240501T120000_IFCB901']],
      ['901', ['D20240501T120000_IFCB901']],
      ['20240501', ['D20240501T120000_IFCB901', 'D20240501T031200_IFCB007']],
      // the instrument's name without zero padding, lower case
      ['ifcb12', ['D20230501T090000_IFCB012']],
      ['_ifcb0', [CORRUPT, DUPLICATE, 'D20240501T031200_IFCB007', 'D20230501T090000_IFCB012']],
      ['#901', ['D20240501T120000_IFCB901']],
    ];
    for (const [text, ids] of cases) {
      await search.fill(text);
      await waitForRows(p, ids);
      assert.deepEqual(await rowIds(p), ids, text);
    }
    await search.fill('T99');
    await p.waitForSelector('.bin-list .library-empty');
    assert.equal(await p.textContent('.bin-list .library-empty'), 'No bins match.');
    await search.fill('');
    await waitForRows(p, ALL);
  });

  test('every file not indexed is listed with its reason; the count is the folder’s', async () => {
    const p = v.page;
    const toggle = p.locator('.not-indexed-toggle');
    assert.equal((await toggle.textContent())?.replace(/\s+/g, ' ').trim(), '3 files not indexed▸');
    await toggle.click();
    const listed = await p.$$eval('.not-indexed-list li', (items) =>
      items.map((li) => [li.querySelector('.not-indexed-path')?.textContent, li.querySelector('.error-code')?.textContent, li.querySelector('.not-indexed-reason')?.textContent]),
    );
    assert.deepEqual(
      listed.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [`x/${CORRUPT}.adc`, 'ADC_MALFORMED_ROW', listed.find((l) => l[0] === `x/${CORRUPT}.adc`)![2]],
        ['x/D20240504T000000_IFCB007.adc', 'FILE_MISSING', 'incomplete fileset: D20240504T000000_IFCB007.hdr missing; bin skipped'],
        ['x/notabin.adc', 'INVALID_BIN_ID', '"notabin" is not an IFCB bin name; skipped'],
      ],
    );
    assert.match(listed.find((l) => l[0] === `x/${CORRUPT}.adc`)![2]!, /is not a number/);
    await screenshot(p, 'library-not-indexed');
    await toggle.click();
  });

  test('a bin id in two folders is one row; the inspector lists the other copy', async () => {
    const p = v.page;
    assert.equal(await p.locator(`.bin-row[data-bin="${DUPLICATE}"]`).count(), 1);
    await p.click(`.bin-row[data-bin="${DUPLICATE}"]`);
    await p.waitForFunction((id) => document.querySelector('[data-testid="status-bin"]')?.textContent === id, DUPLICATE);
    // The complete copy opened: its images are there.
    await p.waitForSelector('.tile');
    assert.match((await p.textContent('section[aria-label="Bin metadata"]')) ?? '', /\.roi filepresent/);
    const copies = p.getByRole('group', { name: 'Other copies' });
    await copies.waitFor();
    const rows = copies.locator('.duplicate');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.locator('.path-text').textContent(), path.join(data, 'y', DUPLICATE));
    assert.deepEqual(await rows.locator('.badge').allTextContents(), ['no .roi', 'partial']);
    await screenshot(p, 'inspector-duplicate');
    // A bin held once has no such list.
    await p.click('.bin-row[data-bin="D20240501T120000_IFCB901"]');
    await p.waitForFunction(() => document.querySelector('[data-testid="status-bin"]')?.textContent === 'D20240501T120000_IFCB901');
    await p.waitForSelector('.tile');
    assert.equal(await copies.count(), 0);
  });

  test('no console errors', () => {
    assert.deepEqual(v.errors, []);
  });
});

describe('launch paths that could not be opened', () => {
  test('are listed under Open bins with their error code; the good one opens', async () => {
    const dir = makeTempDir('ifcb-viewer-library-launch-');
    const good = writeSyntheticBin(dir, { ...small, epochMs: at('2024-05-01T00:00:00Z'), instrument: 7 });
    const damaged = writeSyntheticBin(dir, { ...small, epochMs: at('2024-05-02T00:00:00Z'), instrument: 7 });
    writeFileSync(damaged.paths.adc, 'this,is,not\nan,adc\n');
    const server = await startViewer({ roots: [dir], files: [good.paths.adc, damaged.paths.adc] });
    const browser = await launchBrowser();
    try {
      const v = await openViewer(browser, server.url, { width: 1024, height: 700 });
      const p = v.page;
      await p.waitForFunction((id) => document.querySelector('[data-testid="status-bin"]')?.textContent === id, good.id);
      const group = p.getByRole('region', { name: 'Open bins' });
      await group.locator(`[data-open-bin="${damaged.id}.adc"]`).waitFor();
      assert.deepEqual(await group.locator('.open-bin-id').allTextContents(), [good.id, `${damaged.id}.adc`]);
      assert.equal(await group.locator(`[data-open-bin="${damaged.id}.adc"]`).isDisabled(), true);
      assert.equal(await p.textContent(`[data-open-bin="${damaged.id}.adc"] + .open-bin-error .error-code`), 'ADC_MALFORMED_ROW');
      assert.match((await p.textContent(`[data-open-bin="${damaged.id}.adc"] + .open-bin-error`)) ?? '', /is not a number/);
      assert.equal(await group.locator(`[data-open-bin="${good.id}"]`).getAttribute('aria-current'), 'true');
      await screenshot(p, 'library-launch-rejected-1024');
      assert.deepEqual(v.errors, []);
    } finally {
      await browser.close();
      await server.close();
      removeTempDir(dir);
    }
  });
});
