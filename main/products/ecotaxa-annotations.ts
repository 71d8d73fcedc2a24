/**
 * The annotation columns an EcoTaxa import table gains when the library has labels or a classifier result for
 * the exported ROIs (EcoTaxa names: `object_annotation_category`, `_status` = validated | predicted,
 * `_person_name`, `_date` YYYYMMDD, `_time` HHMMSS; all text `[t]`). For the exporter (main/export) to call
 * per row: a library label is `validated` with its author and time; else a manual file's label (manual_classify
 * `.mat`) is `validated` without them; else the classifier's class above threshold is `predicted`; else every
 * column is empty (EcoTaxa: unclassified). A library label cleared to "not reviewed" hides the manual file's.
 */
import type { BinClasses } from '../../shared/ipc/contract.ts';
import { ecotaxaDateTime } from '../export/format.ts';
import type { Bin } from '../ifcb/bin.ts';
import { joinClasses, loadBinProducts } from './bin-classes.ts';
import { binFacts, productsBesideAnd } from './bin-facts.ts';
import type { ProductFile } from './discover.ts';
import type { LabelStore, StoredLabel } from './label-store.ts';

export const ECOTAXA_ANNOTATION_COLUMNS = [
  'object_annotation_category',
  'object_annotation_status',
  'object_annotation_person_name',
  'object_annotation_date',
  'object_annotation_time',
] as const;
export type EcotaxaAnnotationColumn = (typeof ECOTAXA_ANNOTATION_COLUMNS)[number];
export const ECOTAXA_ANNOTATION_TYPE = '[t]';

export type EcotaxaAnnotation = Record<EcotaxaAnnotationColumn, string>;

const EMPTY: EcotaxaAnnotation = Object.freeze({
  object_annotation_category: '',
  object_annotation_status: '',
  object_annotation_person_name: '',
  object_annotation_date: '',
  object_annotation_time: '',
});

/** The annotation of one ROI from its library label, manual file label and classifier's class (each if any). */
export function ecotaxaAnnotation(label: StoredLabel | undefined, predicted: string | null, manualFile: string | null = null): EcotaxaAnnotation {
  if (label && label.label !== null) {
    const { date, time } = ecotaxaDateTime(label.atMs);
    return { object_annotation_category: label.label, object_annotation_status: 'validated', object_annotation_person_name: label.annotator, object_annotation_date: date, object_annotation_time: time };
  }
  if (!label && manualFile !== null) return { ...EMPTY, object_annotation_category: manualFile, object_annotation_status: 'validated' };
  if (predicted !== null) return { ...EMPTY, object_annotation_category: predicted, object_annotation_status: 'predicted' };
  return EMPTY;
}

/**
 * A per-target lookup for one bin: `labels` are the bin's library labels, `classes` its `bin:classes` table
 * joined without them (its `manual` = the manual file's labels; null without products). The exporter calls the result for every exported target.
 */
export function ecotaxaAnnotator(labels: readonly StoredLabel[], classes: BinClasses | null): (target: number) => EcotaxaAnnotation {
  const byRoi = new Map(labels.map((l) => [l.roi, l]));
  const predicted = new Map<number, string>();
  const manualFile = new Map<number, string>();
  classes?.targets.forEach((t, i) => {
    if (classes.above[i]! >= 0) predicted.set(t, classes.classes[classes.above[i]!]!);
    if (classes.manual[i]! >= 0) manualFile.set(t, classes.classes[classes.manual[i]!]!);
  });
  return (target) => ecotaxaAnnotation(byRoi.get(target), predicted.get(target) ?? null, manualFile.get(target) ?? null);
}

/**
 * Everything in one call for an exported bin: its library labels (when a library is open) and its classifier
 * result beside it or among `recorded` products (unreadable products are skipped: an export never fails on them).
 */
export function ecotaxaAnnotatorForBin(bin: Bin, store: LabelStore | undefined, recorded: readonly ProductFile[] = []): (target: number) => EcotaxaAnnotation {
  const files = productsBesideAnd(bin, recorded);
  const facts = binFacts(bin);
  const classes = files.length === 0 ? null : joinClasses(facts, loadBinProducts(files, facts, { strict: false }));
  return ecotaxaAnnotator(store?.storedOf(bin.id) ?? [], classes);
}
