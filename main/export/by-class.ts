/**
 * Class-aware export (training sets): each exported ROI's annotation (library label, manual file, classifier; made
 * by main/products/ecotaxa-annotations.ts and handed in as `ExportRequest.annotate`) adds EcoTaxa's
 * `object_annotation_*` columns to the EcoTaxa table, and with `groupByClass` places the images in one folder per
 * class (`<class>/<bin>_<target>.png`; ROIs without a class in `unclassified/`).
 */
import { promises as fsp } from 'node:fs';
import { IfcbError } from '../../shared/errors.ts';
import type { Bin } from '../ifcb/index.ts';
import { openBin } from '../ifcb/index.ts';
import { ECOTAXA_ANNOTATION_COLUMNS, ECOTAXA_ANNOTATION_TYPE, type EcotaxaAnnotation } from '../products/ecotaxa-annotations.ts';
import { tsvField } from './format.ts';
import type { Staging } from './staging.ts';

/** Per bin: the annotation of each of its targets. */
export type AnnotatorForBin = (bin: Bin) => (target: number) => EcotaxaAnnotation;

/** Folder of the ROIs that have no class. */
export const UNCLASSIFIED_FOLDER = 'unclassified';

/**
 * A class name as a folder name on every OS: characters Windows, macOS or Linux reserve (and control characters)
 * become `_`, as do leading/trailing dots and spaces; an empty name is the unclassified folder.
 */
export function classFolderName(className: string): string {
  if (className === '') return UNCLASSIFIED_FOLDER;
  const safe = className.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/^[. ]+|[. ]+$/g, (m) => '_'.repeat(m.length));
  return /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(safe) ? `${safe}_` : safe;
}

/** The annotations of every planned bin (each bin's products read once), by bin id. */
export function annotateBins(bins: readonly { id: string; path: string; opened: Bin | undefined }[], annotate: AnnotatorForBin): Map<string, (target: number) => EcotaxaAnnotation> {
  const byBin = new Map<string, (target: number) => EcotaxaAnnotation>();
  for (const b of bins) byBin.set(b.id, annotate(b.opened ?? openBin(b.path)));
  return byBin;
}

/** An image's entry name in the destination from its file name. */
export type EntryNamer = (binId: string, target: number, fileName: string) => string;

/** Entry names in the destination: `<class folder>/<file>` when grouping, else the file name. */
export function entryNamer(byBin: ReadonlyMap<string, (target: number) => EcotaxaAnnotation> | null, groupByClass: boolean): EntryNamer {
  if (!groupByClass) return (_binId, _target, fileName) => fileName;
  if (!byBin) throw new IfcbError('INVALID_ARGUMENT', 'Grouping images by class needs the ROIs’ classes.');
  return (binId, target, fileName) => `${classFolderName(byBin.get(binId)!(target).object_annotation_category)}/${fileName}`;
}

/** The annotations an export request needs (the EcoTaxa table or class folders; else none) and its entry names. */
export function classEntries(
  request: { annotate?: AnnotatorForBin; groupByClass?: boolean; ecotaxa?: boolean },
  bins: readonly { id: string; path: string; opened: Bin | undefined }[],
): { annotations: Map<string, (target: number) => EcotaxaAnnotation> | null; entryName: EntryNamer } {
  const annotations = request.annotate && (request.groupByClass || request.ecotaxa) ? annotateBins(bins, request.annotate) : null;
  return { annotations, entryName: entryNamer(annotations, request.groupByClass === true) };
}

/** What is placed at the top of the destination: files, and each class folder once. */
export function topLevelEntries(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.split('/')[0]!))];
}

/** Create the class folders inside the staging folder (a folder export; a zip names them in its entries). */
export async function makeClassFolders(staging: Staging, names: readonly string[]): Promise<void> {
  for (const top of topLevelEntries(names)) if (names.some((n) => n.startsWith(`${top}/`))) await fsp.mkdir(staging.file(top));
}

/** Whether any exported ROI has an annotation (the EcoTaxa table gains the annotation columns only then). */
export function anyAnnotation(byBin: ReadonlyMap<string, (target: number) => EcotaxaAnnotation> | null, bins: readonly { id: string; targets: number[] }[]): boolean {
  return byBin !== null && bins.some((b) => b.targets.some((t) => byBin.get(b.id)!(t).object_annotation_category !== ''));
}

/** The EcoTaxa head (name line, type line) with the annotation columns appended. */
export function withAnnotationHead(head: string): string {
  const [names, types] = head.split('\n');
  return `${names}\t${ECOTAXA_ANNOTATION_COLUMNS.join('\t')}\n${types}\t${ECOTAXA_ANNOTATION_COLUMNS.map(() => ECOTAXA_ANNOTATION_TYPE).join('\t')}\n`;
}

/** One EcoTaxa row with the ROI's annotation appended. */
export function withAnnotation(row: string, annotation: EcotaxaAnnotation): string {
  return `${row.slice(0, -1)}\t${ECOTAXA_ANNOTATION_COLUMNS.map((c) => tsvField(annotation[c])).join('\t')}\n`;
}
