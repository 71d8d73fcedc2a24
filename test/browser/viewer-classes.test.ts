/**
 * Classifier results in the mosaic, in Chromium: a library over the shared sample bins with the real products as
 * results folders (class-scores and manual for the iRfcb bin, features-blobs for IFCB5). D20220522T003051_IFCB134's
 * tiles carry the class and score of its real h5 file and the person's label of its manual file; the class panel
 * counts them and filters by a click; a score threshold keeps ROI 3 alone, whose pixels read back exactly as the
 * reader gives them. IFCB5_2012_028_081515 has features but no classifier: no chips, an ESD filter keeps exactly the
 * ROIs its features file puts in range (the stitched 263×86 ROI 3 among them, pixels exact), and a class condition
 * shows none of its images. A synthetic bin with a generated classifier file and manual labels is screenshotted at
 * 1024×700 and 1440×900 in both themes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openBin } from '../../main/ifcb/index.ts';
import { writeMat5 } from '../../main/products/mat5-writer.ts';
import type { ViewerServer } from '../../main/http-bridge/index.ts';
import type { Catalogue } from '../../main/index/catalogue.ts';
import { DATA_ROOT } from '../helpers/data.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import type { SyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openBinByPath, openViewer, paintedPixels, screenshot, startViewer, tileTargets, waitForPaintedTiles } from '../helpers/browser.ts';
import type { ViewerPage } from '../helpers/browser.ts';
import { product } from '../node/products/paths.ts';

const IRFCB = 'D20220522T003051_IFCB134';
const IFCB5 = 'IFCB5_2012_028_081515';
const IRFCB_ADC = path.join(DATA_ROOT, 'irfcb/data', `${IRFCB}.adc`);
const IFCB5_ADC = path.join(DATA_ROOT, 'pyifcb/data/2012/IFCB5_2012_028', `${IFCB5}.adc`);

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The reader's pixels of one image (stitched for schema 1), as the canvas must show them at 100 %. */
function readerPixels(adc: string, target: number): { sha: string; width: number; height: number } {
  const image = openBin(adc).images.get(target);
  return { sha: sha(image.pixels), width: image.width, height: image.height };
}

/** Chips of the tiles in the DOM: target → [class, manual, text]. */
async function chips(page: Page): Promise<Record<number, [string, boolean, string]>> {
  return page.$$eval('.tile', (tiles) =>
    Object.fromEntries(
      tiles.flatMap((t) => {
        const chip = t.querySelector<HTMLElement>('.tile-class');
        return chip ? [[Number((t as HTMLElement).dataset['target']), [chip.dataset['class'] ?? '', chip.dataset['manual'] === 'true', chip.textContent]]] : [];
      }),
    ),
  );
}

async function waitForTiles(page: Page, targets: number[]): Promise<void> {
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => Number(t.dataset['target']));
    return got.length === want.length && want.every((t) => got.includes(t));
  }, targets);
}

/** WCAG relative luminance of a computed `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** A features CSV's column, by target. */
function featureColumn(file: string, column: string): Map<number, number> {
  const [head, ...rows] = readFileSync(product(file), 'utf8').trim().split('\n');
  const at = head!.split(',').indexOf(column);
  return new Map(rows.map((line) => [Number(line.split(',')[0]), Number(line.split(',')[at])]));
}

/** Real class names (WHOI's), a dominant class per ROI, some below 0.5; a person labelled every 7th ROI. */
const SYNTHETIC_CLASSES = ['Chaetoceros', 'Ciliates', 'Dinophysis', 'Guin_Dact', 'Leptocylindrus', 'Mesodinium', 'NanoP_less10', 'Pennate', 'Pseudo-nitzschia', 'Skeletonema', 'Thalassiosira', 'Tintinnid'];

function writeSyntheticProducts(bin: SyntheticBin): void {
  const targets = bin.images.map((i) => i.target);
  const n = targets.length;
  const k = SYNTHETIC_CLASSES.length;
  const scores = new Float64Array(n * k);
  targets.forEach((t, i) => {
    const win = (t * 7) % k;
    for (let j = 0; j < k; j++) scores[j * n + i] = j === win ? 0.3 + ((t * 37) % 70) / 100 : (1 - (0.3 + ((t * 37) % 70) / 100)) / (k - 1);
  });
  writeFileSync(
    `${bin.base}_class_v1.mat`,
    writeMat5([
      ['roinum', { kind: 'double', rows: n, cols: 1, data: targets }],
      ['TBscores', { kind: 'double', rows: n, cols: k, data: scores }],
      ['class2useTB', { kind: 'cell', shape: 'column', items: [...SYNTHETIC_CLASSES, 'unclassified'] }],
    ]),
  );
  // manual: every 7th row labelled, half of them agreeing with the classifier
  const rows = bin.triggers.length;
  const classlist = new Float64Array(rows * 3).fill(NaN);
  for (let r = 0; r < rows; r++) {
    const t = r + 1;
    classlist[r] = t;
    if (t % 7 === 0) classlist[rows + r] = (t % 14 === 0 ? (t * 7) % k : (t * 7 + 3) % k) + 1;
  }
  writeFileSync(
    `${bin.base}.mat`,
    writeMat5([
      ['classlist', { kind: 'double', rows, cols: 3, data: classlist }],
      ['class2use_manual', { kind: 'cell', shape: 'row', items: SYNTHETIC_CLASSES }],
    ]),
  );
  // features (ESD = width / 2 px): every image, plus two rows for ROIs the bin does not have
  const features = bin.images.map((i) => `${i.target},${i.width / 2},${i.width},${i.height},${i.width * i.height * 10}`);
  writeFileSync(`${bin.base}_features_v4.csv`, ['roi_number,EquivDiameter,MajorAxisLength,MinorAxisLength,Biovolume', ...features, '998,1,1,1,1', '999,1,1,1,1', ''].join('\n'));
  // a blob archive that is not a zip: reported, the rest still shown
  writeFileSync(`${bin.base}_blobs_v4.zip`, 'not a zip');
}

describe('classifier results in the mosaic', () => {
  let dir: string;
  let catalogue: Catalogue;
  let server: ViewerServer;
  let browser: Browser;
  let v: ViewerPage;
  let synthetic: SyntheticBin;

  before(async () => {
    dir = makeTempDir('ifcb-viewer-classes-');
    const generated = path.join(dir, 'generated');
    mkdirSync(generated);
    synthetic = writeSyntheticBin(generated, { targets: 220, emptyEvery: 0, minSize: 18, maxSize: 120, seed: 7, epochMs: Date.UTC(2024, 5, 1, 12) });
    writeSyntheticProducts(synthetic);
    const roots = [path.join(DATA_ROOT, 'irfcb/data'), path.join(DATA_ROOT, 'pyifcb/data'), generated];
    const indexed = await indexedCatalogue(dir, roots);
    catalogue = indexed.catalogue;
    const rootId = (folder: string) => catalogue.listRoots().find((r) => r.path === folder)!.rootId;
    const services = indexed.port.classes!;
    services.addResultsFolder(rootId(roots[0]!), product('class-scores'));
    services.addResultsFolder(rootId(roots[0]!), product('manual'));
    services.addResultsFolder(rootId(roots[1]!), product('features-blobs'));
    server = await startViewer({ roots: [...roots, dir], catalogue: indexed.port });
    browser = await launchBrowser();
    v = await openViewer(browser, server.url, { width: 1440, height: 900 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    catalogue?.close();
    removeTempDir(dir);
  });

  test(`${IRFCB}: each tile shows the classifier's class and score and the person's label`, async () => {
    const p = v.page;
    await openBinByPath(p, IRFCB_ADC, IRFCB);
    await p.waitForFunction(() => document.querySelectorAll('.tile .tile-class').length === 2);
    // h5: ROI 2 Mesodinium_rubrum 0.63, ROI 3 0.69; the manual file labels both Mesodinium_rubrum (index 5)
    assert.deepEqual(await chips(p), { 2: ['Mesodinium_rubrum', true, '✎Mesodinium_rubrum 0.63'], 3: ['Mesodinium_rubrum', true, '✎Mesodinium_rubrum 0.69'] });
    // the class panel: one class, 2 by the classifier, 2 by a person; the sources it came from
    const row = p.locator('.class-row[data-class="Mesodinium_rubrum"]');
    assert.deepEqual(await row.locator('.num').allTextContents(), ['2', '2', (2 / 2.981272289134838).toPrecision(3)]);
    assert.equal(await p.locator('.class-row[data-class]').count(), 1);
    assert.match(await p.locator('.class-sources').innerText(), /SMHI NIVA ResNet50 V5[\s\S]*D20220522T003051_IFCB134_class\.h5[\s\S]*D20220522T003051_IFCB134\.mat/);
    assert.deepEqual(v.errors, []);
  });

  test('a class chosen in the panel filters; a score threshold keeps ROI 3 alone, its pixels exactly the reader’s', async () => {
    const p = v.page;
    await p.locator('.class-row[data-class="Mesodinium_rubrum"]').click();
    assert.equal(await p.locator('.class-row[data-class="Mesodinium_rubrum"]').getAttribute('aria-selected'), 'true');
    await waitForTiles(p, [2, 3]);
    await p.getByRole('button', { name: /^Filter/ }).click();
    await p.locator('.score-slider').fill('0.65');
    await waitForTiles(p, [3]);
    assert.equal(await p.getByTestId('filter-count').innerText(), '1 of 2 images');
    await waitForPaintedTiles(p);
    assert.deepEqual(await paintedPixels(p, 3), readerPixels(IRFCB_ADC, 3));
    // the person agrees with the classifier here: nothing differs
    await p.locator('.score-slider').fill('0');
    await p.getByLabel('Manual ≠ classifier').check();
    await p.getByText('No images match the filter').waitFor();
    await p.getByRole('button', { name: 'Clear the filter' }).click();
    await waitForTiles(p, [2, 3]);
    assert.deepEqual(v.errors, []);
  });

  test(`${IFCB5}: features without a classifier: no chips, an ESD range keeps exactly its ROIs, a class condition none`, async () => {
    const p = v.page;
    await openBinByPath(p, IFCB5_ADC, IFCB5);
    await waitForTiles(p, [1, 2, 3, 5, 6]);
    await waitForPaintedTiles(p);
    assert.equal(await p.locator('.tile-class').count(), 0);
    const esd = featureColumn(`features-blobs/${IFCB5}_features_v4.csv`, 'EquivDiameter');
    // ESD of the largest blob, 3.4 px/µm: ROI 3 (4 blobs) 6.98 µm, ROI 6 5.33 µm
    const within = [...esd].filter(([, px]) => px / 3.4 >= 5 && px / 3.4 <= 10).map(([t]) => t);
    assert.deepEqual(within, [3, 6]);
    if (!(await p.locator('#filter-bar').isVisible())) await p.getByRole('button', { name: /^Filter/ }).click();
    await p.getByLabel('Minimum ESD in µm').fill('5');
    await p.getByLabel('Maximum ESD in µm').fill('10');
    await waitForTiles(p, within);
    assert.deepEqual((await tileTargets(p)).sort((a, b) => a - b), within);
    await waitForPaintedTiles(p);
    assert.deepEqual(await paintedPixels(p, 3), { ...readerPixels(IFCB5_ADC, 3), width: 263, height: 86 });
    await p.getByLabel('Minimum ESD in µm').fill('');
    await p.getByLabel('Maximum ESD in µm').fill('');
    await p.getByLabel('Not reviewed').check();
    await p.getByText('No images match the filter').waitFor();
    assert.match(await p.locator('.state-panel').innerText(), /1 bin has no classifier results or labels/);
    await p.getByRole('button', { name: 'Clear the filter' }).click();
    await waitForTiles(p, [1, 2, 3, 5, 6]);
    assert.deepEqual(v.errors, []);
  });

  test('a generated bin: problems listed one per line; Ctrl+click adds a class; the Labels button hides and shows the chips', async () => {
    const p = v.page;
    await openBinByPath(p, synthetic.paths.adc, synthetic.id);
    await p.locator('.class-row[data-class="Chaetoceros"]').waitFor();
    const problems = await p.locator('.class-problems li').allInnerTexts();
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, new RegExp(`^${synthetic.id}_blobs_v4\\.zip: .+ PRODUCT_[A-Z]+$`));
    assert.equal(problems[1], `${synthetic.id}_features_v4.csv: 2 rows name ROIs the bin does not have (998, 999); they are not shown. ROI_NOT_IN_BIN`);
    // classifier counts per class, as generated: target t wins class (7t mod 12)
    const expected = new Map<string, number>();
    for (const img of synthetic.images) {
      const name = SYNTHETIC_CLASSES[(img.target * 7) % SYNTHETIC_CLASSES.length]!;
      expected.set(name, (expected.get(name) ?? 0) + 1);
    }
    assert.equal(await p.locator('.class-row[data-class="Ciliates"] [data-testid="class-count"]').innerText(), String(expected.get('Ciliates')));
    await p.locator('.class-row[data-class="Ciliates"]').click();
    await p.locator('.class-row[data-class="Tintinnid"]').click({ modifiers: ['Control'] });
    const effective = (t: number): string => {
      if (t % 7 !== 0) return SYNTHETIC_CLASSES[(t * 7) % SYNTHETIC_CLASSES.length]!;
      return SYNTHETIC_CLASSES[t % 14 === 0 ? (t * 7) % SYNTHETIC_CLASSES.length : (t * 7 + 3) % SYNTHETIC_CLASSES.length]!;
    };
    const wanted = synthetic.images.map((i) => i.target).filter((t) => ['Ciliates', 'Tintinnid'].includes(effective(t)));
    await p.waitForFunction((n) => document.querySelectorAll('.tile').length === n, wanted.length);
    assert.deepEqual((await tileTargets(p)).sort((a, b) => a - b), wanted);
    const shown = await chips(p);
    assert.deepEqual([...new Set(Object.values(shown).map(([name]) => name))].sort(), ['Ciliates', 'Tintinnid']);
    // labelled ROIs carry the mark; a label differing from the classifier says so
    for (const t of wanted) assert.equal(shown[t]![1], t % 7 === 0, `ROI ${t}`);
    assert.equal(await p.locator('.tile-class.is-differs').count(), wanted.filter((t) => t % 7 === 0 && t % 14 !== 0).length);
    await p.getByRole('button', { name: 'Class labels' }).click();
    await p.waitForFunction(() => document.querySelectorAll('.tile-class').length === 0);
    assert.equal(await p.locator('.tile').count(), wanted.length);
    await p.getByRole('button', { name: 'Class labels' }).click();
    await p.waitForFunction((n) => document.querySelectorAll('.tile-class').length === n, wanted.length);
    // a click on the only chosen class takes the filter away
    await p.locator('.class-row[data-class="Tintinnid"]').click({ modifiers: ['Control'] });
    await p.locator('.class-row[data-class="Ciliates"]').click();
    await p.waitForFunction((n) => document.querySelectorAll('.tile').length > n, wanted.length);
    assert.deepEqual(v.errors, []);
  });

  test('the library as one mosaic: a class filter keeps the two iRfcb tiles; the bin without a classifier is counted', async () => {
    const p = v.page;
    await p.getByRole('button', { name: 'Show the list as one mosaic' }).click();
    await p.waitForSelector('[data-testid="status-range"]');
    if (!(await p.locator('#filter-bar').isVisible())) await p.getByRole('button', { name: /^Filter/ }).click();
    await p.locator('#filter-class').selectOption('Mesodinium_rubrum');
    await p.waitForFunction(() => {
      const tiles = [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => `${t.dataset['bin']}:${t.dataset['target']}`);
      return tiles.join(' ') === 'D20220522T003051_IFCB134:2 D20220522T003051_IFCB134:3';
    });
    // 220 generated + 2 iRfcb + 5 IFCB5 (stitched) + 33 listed by the bin without .roi
    assert.equal(await p.getByTestId('filter-count').innerText(), '2 of 260 images · 1 bin has no classifier results');
    await waitForPaintedTiles(p);
    assert.deepEqual(await paintedPixels(p, 2, IRFCB), readerPixels(IRFCB_ADC, 2));
    assert.match(await p.locator('.class-panel-scope').innerText(), /^4 of 4 bins$/);
    await p.getByRole('button', { name: 'Clear', exact: true }).click();
    assert.deepEqual(v.errors, []);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      test(`screenshot: generated bin with classes, ${width}×${height}, ${colorScheme}`, async () => {
        const s = await openViewer(browser, server.url, { width, height, colorScheme });
        try {
          const p = s.page;
          await openBinByPath(p, synthetic.paths.adc, synthetic.id);
          // a 1024 px window starts with the inspector (and the class panel under it) hidden
          if (await p.getByRole('button', { name: 'Show the inspector' }).isVisible()) await p.getByRole('button', { name: 'Show the inspector' }).click();
          await p.locator('.class-row[data-class="Chaetoceros"]').waitFor();
          await waitForPaintedTiles(p);
          // every tile that has a class shows its chip; labelled tiles are marked
          const shown = await chips(p);
          assert.ok(Object.keys(shown).length > 20);
          assert.ok(Object.values(shown).some(([, manual]) => manual));
          const overflow = await p.$$eval('.tile', (tiles) =>
            tiles.filter((t) => {
              const chip = t.querySelector('.tile-class');
              if (!chip) return false;
              const a = t.getBoundingClientRect();
              const b = chip.getBoundingClientRect();
              return b.left < a.left - 0.5 || b.right > a.right + 0.5 || b.top < a.top - 0.5 || b.bottom > a.bottom + 0.5;
            }).length,
          );
          assert.equal(overflow, 0, 'a chip reaches outside its tile');
          // as drawn in this theme: every chip's text against its background, WCAG contrast ≥ 4.5
          const colours = await p.$$eval('.tile-class:not(.is-compact)', (els) => els.map((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor] as const));
          assert.ok(colours.length > 10);
          for (const [text, background] of colours) assert.ok(contrast(text, background) >= 4.5, `${text} on ${background} in ${colorScheme}`);
          // the dark theme draws the chips' dark forms (light text), the light theme their light forms
          assert.ok(colours.every(([text]) => (colorScheme === 'dark' ? luminance(text) > 0.5 : luminance(text) < 0.1)));
          await p.getByRole('button', { name: /^Filter/ }).click();
          // every condition of the filter bar on three rows (five before at 1024 with both side panes), none cut off
          const bar = await p.$eval('.filter-bar', (el) => {
            // a child starts a new row when it lies wholly below the row before (items of one row differ in height)
            const boxes = [...el.children].filter((c) => !c.classList.contains('filter-break')).map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
            let rows = 0;
            let bottom = -Infinity;
            for (const r of boxes.sort((a, b) => a.top - b.top)) {
              if (r.top >= bottom - 1) rows++;
              bottom = r.top >= bottom - 1 ? r.bottom : Math.max(bottom, r.bottom);
            }
            const box = el.getBoundingClientRect();
            const cut = [...el.querySelectorAll('*')].filter((c) => c.getBoundingClientRect().right > box.right + 0.5).map((c) => c.className);
            return { rows, cut };
          });
          assert.deepEqual(bar, { rows: 3, cut: [] });
          await screenshot(p, `classes-${width}x${height}-${colorScheme}`);
          assert.deepEqual(s.errors, []);
        } finally {
          await s.context.close();
        }
      });
    }
  }
});
