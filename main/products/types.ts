/**
 * The in-memory shapes of derived products, whatever file they came from. Every reader in this folder returns
 * one of these; `bin-classes.ts` joins them to a bin by ROI (target) number.
 */

/** Where a classifier's scores came from (one value per file format we read). */
export type ClassFormat = 'whoi-h5-v3' | 'smhi-h5' | 'class-v1-mat' | 'roi-csv' | 'syke-prob-csv' | 'dashboard-csv' | 'score-matrix-csv';

/** The class every thresholded classifier falls back to. */
export const UNCLASSIFIED = 'unclassified';

/** Automated classification of one bin. Row i describes target `rois[i]` (file order; join by value). */
export interface ClassScores {
  format: ClassFormat;
  /** The file read (for messages). */
  source: string;
  classifierName: string | null;
  /** The model's classes: column j of `scores` is `classes[j]`. */
  classes: string[];
  rois: number[];
  /** Row-major rows × classes, or null when the file carries only the winning class and score (per-ROI CSV). */
  scores: Float32Array | Float64Array | null;
  /** Winning (argmax) class and its score per row. */
  winner: string[];
  winnerScore: Float64Array;
  /** Per-class thresholds (NaN = none), when the file or a thresholds file gives them. */
  thresholds: Float64Array | null;
  /** Class above threshold per row (SMHI rule, or as the file states it); null when there are no thresholds. */
  aboveThreshold: string[] | null;
}

/** Manual annotation of one bin (manual_classify `.mat`, ClassiPyR table). */
export interface ManualLabels {
  source: string;
  /** The class list the indices refer to (`class2use_manual`), when the file has one. */
  classes: string[];
  rois: number[];
  /** Label per row; null = not reviewed (NaN in `classlist`). */
  labels: (string | null)[];
}

/** A features table: one row per scored ROI, every value in pixels (px, px², px³). */
export interface FeatureTable {
  source: string;
  /** `_features_v4` → 4, `_fea_v2` → 2. */
  version: number;
  columns: string[];
  rois: number[];
  /** Column name → values in row order. */
  values: Map<string, Float64Array>;
}

/** Sizes of one ROI in physical units (from a features row and the instrument's px/µm). */
export interface RoiSize {
  /** Equivalent spherical diameter (µm) = EquivDiameter / (px/µm). */
  esdUm: number;
  majorAxisUm: number;
  minorAxisUm: number;
  /** µm³ from summedBiovolume (all blobs) when present, else Biovolume (largest blob). */
  biovolumeUm3: number;
}

/** One blob mask in a `_blobs_vN.zip`. */
export interface BlobEntry {
  roi: number;
  name: string;
  width: number;
  height: number;
}
