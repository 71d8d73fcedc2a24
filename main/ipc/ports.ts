/**
 * What the handlers need from services that live elsewhere (the catalogue, native dialogs, the exporter),
 * as narrow interfaces. The Electron shell and the bridge plug real implementations in; tests plug in the
 * real catalogue on a temp database, or nothing (then the channels answer NOT_AVAILABLE).
 */
import type { BinsFilter, CatalogueBin, LibraryProblems, Neighbours, Root, TimeSeries, TimeSeriesRequest } from '../../shared/ipc/contract.ts';
import type { AnnotatorForBin } from '../export/by-class.ts';
import type { Bin } from '../ifcb/index.ts';
import type { ClassesServices } from './classes-services.ts';

export interface CataloguePort {
  listBins(filter: BinsFilter, page: { after?: string; limit: number; order: 'asc' | 'desc' }): { bins: CatalogueBin[]; next?: string };
  timeSeries(request: TimeSeriesRequest): TimeSeries;
  neighbours(binId: string): Neighbours;
  /** The copy shown, with the other folders holding the same id in `duplicates`. */
  getBin(binId: string): CatalogueBin | undefined;
  /** Base path (directory + id) of a catalogued bin. */
  pathOfBin(binId: string): string | undefined;
  listRoots(): Root[];
  getRoot(rootId: number): Root | undefined;
  /** What the library does not show as usable bins, with reasons (at most `limit`, with the total). */
  listProblems(rootId: number | undefined, limit: number): LibraryProblems;
  /** `path` is already resolved and allowed. */
  addRoot(path: string): Root;
  removeRoot(rootId: number): void;
  /** Follow a root's files as they change (optional); `onChange` runs after the catalogue applied a change; `ready` once it watches. */
  watch?(rootId: number, onChange: () => void): { close(): Promise<void>; ready: Promise<void> };
  /** Where each instrument's calibration is kept (the library database). */
  calibrations?: CalibrationStore;
  /** Labels, recorded products and class counts of the library (main/ipc/classes-services.ts). */
  classes?: ClassesServices;
  /** Index the given roots (all when omitted); returns a one-line summary. */
  index(rootIds: number[] | undefined, options: { onProgress: (done: number, total: number, message: string) => void; signal: AbortSignal }): Promise<string>;
}

/** Persistent per-instrument calibrations (pixels per micrometre). */
export interface CalibrationStore {
  read(): ReadonlyMap<number, number>;
  /** null forgets the instrument's value. */
  write(instrument: number, pxPerUm: number | null): void;
}

export type ExportDestinationKind = 'folder' | 'zip';

/** Native dialogs (Electron only). Each resolves to a path, or null when the user cancelled. */
export interface DialogPort {
  openBin(): Promise<string | null>;
  addFolder(): Promise<string | null>;
  exportDestination(kind: ExportDestinationKind, suggestedName: string | undefined): Promise<string | null>;
  /** A folder of derived products (class scores, features…) for a library folder. */
  resultsFolder(): Promise<string | null>;
  /** Label files and class lists to import (several may be chosen). */
  importLabels(): Promise<string[] | null>;
}

/** The OS file manager (Electron's shell); absent over the bridge. */
export interface DesktopPort {
  showItemInFolder(path: string): void;
}

/** One bin to export, with paths resolved by main. */
export interface ExportItem {
  binId: string;
  binPath: string;
  /** The bin as parsed by the bin cache: the exporter reuses its header/ADC instead of parsing them again. */
  bin?: Bin;
  targets?: number[];
}

export interface ExportJobRequest {
  items: ExportItem[];
  destination: string;
  /** What the user chose in the dialog: a zip is a zip whatever its name, a folder a folder. */
  kind: ExportDestinationKind;
  /** Pixels per micrometre of each instrument, for the µm columns (frozen when the export starts). */
  pxPerUm: (instrument: number) => number;
  format: 'png' | 'tiff';
  ecotaxa: boolean;
  metadata: boolean;
  layout: 'rois' | 'pyifcb-zip';
  onExisting: 'fail' | 'suffix' | 'skip';
  /** The ROIs' classes (EcoTaxa annotation columns, folders per class) and whether to group images by class. */
  annotate?: AnnotatorForBin;
  groupByClass?: boolean;
}

/** main/export's `exportRois`, adapted: a one-line summary, and where the export went (`<destination> (2)` after a suffix). */
export interface ExportRunner {
  (request: ExportJobRequest, options: { onProgress: (done: number, total: number, message?: string) => void; signal: AbortSignal }): Promise<{ summary: string; destination: string }>;
  /** Refuse before the job starts what the export would refuse about its destination (existing files). */
  check?(request: ExportJobRequest): Promise<void>;
}
