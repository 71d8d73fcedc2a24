/**
 * The built-in demo library: a few small bins written by the synthetic-bin writer with plankton images, so a first
 * `npm start` has something to show with nothing beside the repository. It covers what a newcomer meets in real
 * data: both schemas, a stitched pair (schema 1), a trigger with two ROIs, an empty bin and a bin without `.roi`.
 *
 * It lives in the app-data folder beside the library database and is offered once: added when the library has no
 * folders and the demo folder does not exist yet. Removing it from the library leaves the folder, so it is not
 * offered again. A marker file inside marks the folder as the demo (`Root.demo` in the contract).
 */
import fs from 'node:fs';
import path from 'node:path';
import { planktonPainter } from './plankton.ts';
import { writeSyntheticBin, type SyntheticBin, type SyntheticBinOptions } from './synthetic-bin.ts';

/** The demo folder's name inside the app-data folder. */
export const DEMO_FOLDER_NAME = 'demo-library';
/** Present in the demo folder, and only there: what marks a library folder as the demo. */
export const DEMO_MARKER = 'ABOUT-THIS-DEMO.txt';

/** The marker file's text: what the folder is, and what each bin shows. */
function about(bins: SyntheticBin[]): string {
  return [
    'This folder holds the demo library of IFCB Viewer: synthetic bins whose images are drawn by the program',
    '(chain-forming, pennate and centric diatoms, dinoflagellates). They are not measurements.',
    'Remove the folder from the library in the viewer to stop seeing it; it is not added again.',
    '',
    ...bins.map((b, i) => `${b.id}  ${DEMO_BINS[i]!.purpose}`),
    '',
  ].join('\n');
}

/** The demo's bins: what each one shows a newcomer. */
export const DEMO_BINS: { purpose: string; options: SyntheticBinOptions }[] = [
  { purpose: 'a typical schema 2 bin', options: { schema: 2, instrument: 101, epochMs: Date.UTC(2024, 5, 15, 9, 15), targets: 160, emptyEvery: 40, seed: 11 } },
  { purpose: 'triggers with two ROIs', options: { schema: 2, instrument: 101, epochMs: Date.UTC(2024, 5, 15, 11, 30), targets: 90, emptyEvery: 0, multiRoiEvery: 6, seed: 12 } },
  { purpose: 'an empty bin (no triggers)', options: { schema: 2, instrument: 101, epochMs: Date.UTC(2024, 5, 15, 13, 45), targets: 0, seed: 13 } },
  { purpose: 'a bin without .roi (metadata only)', options: { schema: 2, instrument: 101, epochMs: Date.UTC(2024, 5, 15, 16, 0), targets: 60, withRoi: false, seed: 14 } },
  { purpose: 'schema 1 with stitched pairs', options: { schema: 1, instrument: 5, epochMs: Date.UTC(2012, 5, 15, 12, 0, 0), targets: 80, emptyEvery: 20, stitchPairs: 4, seed: 15 } },
];

/** The demo folder for an app-data folder. */
export function demoLibraryDir(appDataDir: string): string {
  return path.join(appDataDir, DEMO_FOLDER_NAME);
}

/** True for the demo folder (it carries the marker file). */
export function isDemoLibrary(folder: string): boolean {
  return fs.existsSync(path.join(folder, DEMO_MARKER));
}

/**
 * Write the demo bins into `dir`, which must not exist. They are written into a sibling temporary folder and renamed
 * into place, so an interrupted first start leaves no half-written demo behind.
 */
export function writeDemoLibrary(dir: string): SyntheticBin[] {
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    const bins = DEMO_BINS.map((b) => writeSyntheticBin(staging, { ...b.options, painter: planktonPainter }));
    fs.writeFileSync(path.join(staging, DEMO_MARKER), about(bins));
    fs.renameSync(staging, dir);
    return bins.map((b) => ({ ...b, base: path.join(dir, b.id), paths: { adc: `${path.join(dir, b.id)}.adc`, hdr: `${path.join(dir, b.id)}.hdr`, roi: `${path.join(dir, b.id)}.roi` } }));
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/**
 * The demo folder to add to a library that has `rootCount` folders, written now; null when the library has folders
 * or the demo was offered before (its folder exists: the user removed it from the library).
 */
export function prepareDemoLibrary(appDataDir: string, rootCount: number): string | null {
  const dir = demoLibraryDir(appDataDir);
  if (rootCount > 0 || fs.existsSync(dir)) return null;
  try {
    writeDemoLibrary(dir);
  } catch (e) {
    // another first start (a second window, a quick re-run) renamed its demo into place first: offered already
    if (fs.existsSync(dir)) return null;
    throw e;
  }
  return dir;
}
