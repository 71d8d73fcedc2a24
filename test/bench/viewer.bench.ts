/**
 * The viewer in Chromium on a synthetic 10,000-target bin and a day of 100 bins × 1,000 targets (served over the
 * loopback bridge):
 * - open a bin → first screen of tiles painted, against the API's full-metadata round trip (same page, same bin);
 * - choose the day → first screen painted, against that single-bin figure; `bins:geometry` requests made up to
 *   then and after scrolling the whole day, against the bins in it;
 * - a steady scroll through the whole bin, then the whole day: frame intervals p50/p99 against the idle frame
 *   interval, the longest time any on-screen tile stayed blank, the JS heap and the cached pixel bytes after vs
 *   before (after GC).
 * IFCB_BENCH_PROFILE=DIR writes the page's CPU profile of each scroll there (`<what>.cpuprofile`, for DevTools).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Bench } from './harness.ts';
import { fmt, percentile } from './harness.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp.ts';
import { writeSyntheticBin } from '../helpers/synthetic-bin.ts';
import { indexedCatalogue, launchBrowser, openViewer, startViewer, waitForPaintedTiles } from '../helpers/browser.ts';

export const title = 'Viewer (Chromium, a 10,000-target synthetic bin and a day of 100 × 1,000-target bins)';

const RUNS = 5;
const SCROLL_SECONDS = 20;
const RANGE_BINS = 100;
const RANGE_TARGETS = 1000;
const RANGE_DAY = '2024-02-01';
const RANGE_SCROLL_SECONDS = 40;

/**
 * ms from a click on `click` until `ready` is in the page and every tile on screen is painted (polled each
 * animation frame).
 */
async function timeToFirstScreen(page: Page, click: string, ready: string): Promise<number> {
  return page.evaluate(
    ([clickSelector, readySelector]) =>
      new Promise<number>((resolve) => {
        const target = document.querySelector<HTMLElement>(clickSelector)!;
        const t0 = performance.now();
        target.click();
        const check = () => {
          const scroller = document.querySelector('.mosaic-scroll');
          if (scroller && document.querySelector(readySelector)) {
            const view = scroller.getBoundingClientRect();
            const visible = [...document.querySelectorAll<HTMLElement>('.tile')].filter((c) => {
              const r = c.getBoundingClientRect();
              return r.bottom > view.top && r.top < view.bottom;
            });
            if (visible.length > 0 && visible.every((c) => c.dataset['state'] === 'painted')) return resolve(performance.now() - t0);
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [click, ready] as const,
  );
}

/** Scroll the (virtual) library list until `selector` is rendered. */
async function reveal(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((s) => {
    if (document.querySelector(s)) return true;
    const list = document.querySelector('.bin-list')!;
    list.scrollTop = list.scrollTop + list.clientHeight >= list.scrollHeight - 1 ? 0 : list.scrollTop + list.clientHeight / 2;
    return false;
  }, selector, { polling: 'raf' });
}

/** ms from a click on a library row to every on-screen tile of that bin painted. */
async function timeOpen(page: Page, binId: string): Promise<number> {
  await reveal(page, `.bin-row[data-bin="${binId}"]`);
  return timeToFirstScreen(page, `.bin-row[data-bin="${binId}"]`, `.tile[data-bin="${binId}"]`);
}

/** ms from a click on a day in the library to every on-screen tile of the range painted. */
async function timeRange(page: Page, day: string): Promise<number> {
  await reveal(page, `.day-header[data-day="${day}"]`);
  return timeToFirstScreen(page, `.day-header[data-day="${day}"]`, '.bin-header');
}

/** ms of one `bin:metadata` round trip through fetch from the page (what opening must at least wait for). */
async function timeMetadata(page: Page, binId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const m = /^\/t\/([A-Za-z0-9_-]+)\//.exec(location.pathname)!;
    const t0 = performance.now();
    const r = await fetch(`/t/${m[1]}/api/bin:metadata`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifcb-token': m[1]! }, body: JSON.stringify({ binId: id }) });
    await r.json();
    return performance.now() - t0;
  }, binId);
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

export async function run(bench: Bench): Promise<void> {
  const dir = makeTempDir('ifcb-viewer-bench-');
  const bin = writeSyntheticBin(dir, { targets: 10_000, seed: 11 });
  const { catalogue, port } = await indexedCatalogue(dir, [dir], {});
  const server = await startViewer({ roots: [dir], catalogue: port, validateResponses: false });
  const browser = await launchBrowser();
  try {
    const v = await openViewer(browser, server.url, { width: 1440, height: 900 });
    const page = v.page;
    await page.waitForSelector(`.bin-row[data-bin="${bin.id}"]`);
    // A second, tiny bin to switch to between timed opens (so each open really opens); once its few tiles
    // are painted nothing is loading, so every timing starts from an idle page and an idle server.
    const other = writeSyntheticBin(dir, { targets: 8, seed: 12, emptyEvery: 0, maxSize: 100, epochMs: Date.UTC(2024, 0, 2) });
    await catalogue.index();
    await page.reload();
    await page.waitForSelector(`.bin-row[data-bin="${other.id}"]`);

    // Warm both sides once (parse caches in main, JIT in the page), then time.
    await timeOpen(page, bin.id);
    await timeOpen(page, other.id);
    const opens: number[] = [];
    const metas: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.waitForFunction((n) => document.querySelectorAll('.tile[data-state="painted"]').length === n, other.images.length);
      metas.push(await timeMetadata(page, bin.id));
      opens.push(await timeOpen(page, bin.id));
      await timeOpen(page, other.id);
    }
    const open = percentile(opens, 50);
    const meta = percentile(metas, 50);
    bench.figure({
      name: 'open → first screen of tiles painted',
      ratio: open / meta,
      detail: `${fmt(open, 1)} ms vs ${fmt(meta, 1)} ms for bin:metadata alone (median of ${RUNS}; ${bin.images.length} images)`,
      target: 'first paint < 100 ms',
      met: open < 100,
    });

    await timeOpen(page, bin.id);
    await waitForPaintedTiles(page);
    await timeOpen(page, bin.id);
    await waitForPaintedTiles(page);
    await measureScroll(bench, page, 'the whole bin', SCROLL_SECONDS);

    // ---- a day of 100 bins × 1,000 targets as one range ----
    const dayStart = Date.parse(`${RANGE_DAY}T00:00:00Z`);
    for (let i = 0; i < RANGE_BINS; i++) {
      writeSyntheticBin(dir, { targets: RANGE_TARGETS, seed: 1000 + i, minSize: 16, maxSize: 72, epochMs: dayStart + i * 600_000 });
    }
    await catalogue.index();
    await page.reload();
    await page.waitForSelector(`.day-header[data-day="${RANGE_DAY}"]`);
    const geometryRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/bins:geometry')) geometryRequests.push(r.postData() ?? '');
    });
    // warm once; each timed choice starts from the small bin, so the range really opens again
    await timeRange(page, RANGE_DAY);
    const ranges: number[] = [];
    let requestsAtFirstScreen = 0;
    for (let i = 0; i < RUNS; i++) {
      await timeOpen(page, other.id);
      const before = geometryRequests.length;
      ranges.push(await timeRange(page, RANGE_DAY));
      requestsAtFirstScreen = geometryRequests.length - before;
    }
    const range = percentile(ranges, 50);
    bench.figure({
      name: `choose a day of ${RANGE_BINS} bins → first screen painted, vs open one bin`,
      ratio: range / open,
      detail: `${fmt(range, 1)} ms vs ${fmt(open, 1)} ms (median of ${RUNS}; ${RANGE_BINS * RANGE_TARGETS} targets in the day)`,
      target: '< 150 ms',
      met: range < 150,
    });
    bench.figure({
      name: 'bins:geometry requests up to the first screen of the day, vs bins in it',
      ratio: requestsAtFirstScreen / RANGE_BINS,
      detail: `${requestsAtFirstScreen} requests for ${RANGE_BINS} bins (up to 8 bins each, those within a screen of the viewport)`,
      target: 'proportional to what is on screen, not to the range',
      met: requestsAtFirstScreen <= 2,
    });
    const beforeScroll = geometryRequests.length;
    await waitForPaintedTiles(page);
    await measureScroll(bench, page, `the whole day (${RANGE_BINS} bins)`, RANGE_SCROLL_SECONDS);
    const scrolled = geometryRequests.length - beforeScroll + requestsAtFirstScreen;
    const binsAsked = geometryRequests.slice(beforeScroll - requestsAtFirstScreen).reduce((n, body) => n + ((JSON.parse(body) as { binIds: string[] }).binIds.length), 0);
    bench.figure({
      name: 'bins:geometry requests after scrolling the whole day, vs bins in it',
      ratio: scrolled / RANGE_BINS,
      detail: `${scrolled} requests asking for ${binsAsked} bins in all, for ${RANGE_BINS} bins`,
      target: 'each bin asked once',
      met: binsAsked === RANGE_BINS,
    });
    if (v.errors.length > 0) bench.log(`console errors: ${v.errors.join(' | ')}`);
    await v.context.close();
  } finally {
    await browser.close();
    await server.close();
    catalogue.close();
    removeTempDir(dir);
  }
}


/** Cached pixel bytes of the mosaic's loader (the canvas carries the figure for tests and benchmarks). */
async function pixelBytes(page: Page): Promise<number> {
  return page.$eval('.mosaic-canvas', (c) => Number((c as HTMLElement).dataset['pixelBytes'] ?? 0));
}

/** Scroll steadily from top to bottom in `seconds`: frame intervals, blank tiles, JS heap and pixel memory. */
async function measureScroll(bench: Bench, page: Page, what: string, seconds: number): Promise<void> {
  const heapStart = await heapUsed(page);
  const pixelsStart = await pixelBytes(page);
  const profileDir = process.env['IFCB_BENCH_PROFILE'];
  const profiler = profileDir ? await page.context().newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.start');
  }
  const result = await page.evaluate(
    (seconds) =>
      new Promise<{ idle: number[]; frames: number[]; blanks: number[]; height: number; speed: number }>((resolve) => {
        const el = document.querySelector<HTMLElement>('.mosaic-scroll')!;
        el.scrollTop = 0;
        const idle: number[] = [];
        const frames: number[] = [];
        const blanks: number[] = [];
        const viewHeight = el.clientHeight;
        // Which tiles on screen wait for pixels is read from the canvas, which writes them as it draws (`data-unpainted`):
        // rows that come into view during a fling have no tile elements, and reading each tile's rectangle forced a
        // layout per frame. A tile leaves the list when painted or scrolled away; either way it was blank until then.
        const canvas = document.querySelector<HTMLElement>('.mosaic-canvas')!;
        const blankSince = new Map<string, number>();
        const watchBlanks = (now: number) => {
          const listed = canvas.dataset['unpainted'];
          const waiting = new Set(listed ? listed.split(',') : []);
          for (const key of waiting) if (!blankSince.has(key)) blankSince.set(key, now);
          for (const [key, since] of blankSince) {
            if (waiting.has(key)) continue;
            blanks.push(now - since);
            blankSince.delete(key);
          }
        };
        // A range grows as its bins arrive: the end is re-read every frame (from the content's inline height, not
        // scrollHeight, which would force a layout), the speed fixed at the start.
        const content = el.querySelector<HTMLElement>('.mosaic-content')!;
        const extra = el.scrollHeight - parseFloat(content.style.height); // padding around the content, if any
        const scrollEnd = () => parseFloat(content.style.height) + extra - viewHeight;
        const speed = scrollEnd() / seconds; // px per second
        let max = scrollEnd();
        let last = performance.now();
        let idleFrames = 0;
        let start = 0;
        const finish = (now: number) => {
          // tiles still blank on screen count as blank until now
          for (const since of blankSince.values()) blanks.push(now - since);
          resolve({ idle, frames, blanks, height: el.scrollHeight, speed });
        };
        const tick = (now: number) => {
          const dt = now - last;
          last = now;
          if (idleFrames < 60) {
            // The baseline: frame intervals with nothing happening.
            if (idleFrames > 0) idle.push(dt);
            idleFrames++;
            if (idleFrames === 60) start = now;
            requestAnimationFrame(tick);
            return;
          }
          frames.push(dt);
          max = scrollEnd();
          const top = Math.min(max, ((now - start) / 1000) * speed);
          el.scrollTop = top;
          watchBlanks(now);
          if (top >= max - 1) {
            // Let the last screen finish painting (at most 2 s).
            const settle = (t: number) => {
              watchBlanks(t);
              if (blankSince.size > 0 && t - now < 2000) requestAnimationFrame(settle);
              else finish(t);
            };
            requestAnimationFrame(settle);
            return;
          }
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    seconds,
  );
  if (profiler && profileDir) {
    const { profile } = await profiler.send('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(path.join(profileDir, `${what.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`), JSON.stringify(profile));
    await profiler.detach();
  }
  const heapEnd = await heapUsed(page);
  const pixelsEnd = await pixelBytes(page);

  const idleP50 = percentile(result.idle, 50);
  const p50 = percentile(result.frames, 50);
  const p99 = percentile(result.frames, 99);
  // A frame counts as dropped when its interval exceeds 1.5 idle frames (rAF timestamps jitter by ~0.1 ms).
  const dropped = result.frames.filter((f) => f > 1.5 * idleP50).length;
  bench.figure({
    name: `scroll ${what}: frame interval p99`,
    ratio: p99 / idleP50,
    detail: `p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms, max ${fmt(Math.max(...result.frames), 1)} ms, ${dropped} of ${result.frames.length} frames dropped; idle frame ${fmt(idleP50, 1)} ms; ${Math.round(result.height)} px at ${Math.round(result.speed)} px/s (${fmt(result.speed / 900, 1)} screens/s)`,
    target: 'p99 ≤ 16.7 ms (+0.5 ms rAF timestamp jitter)',
    met: p99 <= 16.7 + 0.5,
  });
  const longest = result.blanks.length > 0 ? Math.max(...result.blanks) : 0;
  bench.figure({
    name: `${what}: longest time a visible tile stayed blank`,
    ratio: longest / idleP50,
    detail: `${fmt(longest, 1)} ms (${result.blanks.length === 0 ? 'every tile was painted when it came into view' : `p99 ${fmt(percentile(result.blanks, 99), 1)} ms over ${result.blanks.length} tiles that were blank when they came into view`}) vs idle frame ${fmt(idleP50, 1)} ms`,
    target: '< 100 ms',
    met: longest < 100,
  });
  bench.figure({
    name: `JS heap after scrolling ${what} vs before`,
    ratio: heapEnd / heapStart,
    detail: `${fmt(heapEnd / 1048576, 1)} MB vs ${fmt(heapStart / 1048576, 1)} MB (after GC; bitmap pixels live outside the JS heap, bounded by the loader at 128 MB and 8,192 images)`,
    target: 'flat (≤ 1.5×)',
    met: heapEnd / heapStart <= 1.5,
  });
  bench.figure({
    name: `cached pixel bytes after scrolling ${what} vs before`,
    ratio: pixelsEnd / Math.max(1, pixelsStart),
    detail: `${fmt(pixelsEnd / 1048576, 1)} MB vs ${fmt(pixelsStart / 1048576, 1)} MB (RGBA bitmaps, held and let go a request at a time; the loader's budget is 128 MB)`,
    target: 'bounded (≤ 128 MB)',
    met: pixelsEnd <= 128 * 1048576,
  });
}
