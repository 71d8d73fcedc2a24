/**
 * What the mosaic's filter bar asks for, as the user typed it (ranges stay strings until they are applied), and
 * which of its conditions are set. The toolbar edits it; the display model (display.ts) applies it.
 */
export interface MosaicFilter {
  /** Longest side in µm (from the image size). */
  sizeMin: string;
  sizeMax: string;
  /** An image or ADC column and its range. */
  field: string;
  fieldMin: string;
  fieldMax: string;
  /** Classifier results and labels (the bin's class table): any of these classes (the manual label, else the classifier's). */
  classes: readonly string[];
  /** Least score of the classifier's winning class; 0 = no bound (unscored images stay). */
  minScore: number;
  /** Only images whose manual label differs from the classifier's class. */
  manualDiffers: boolean;
  /** Only images nobody has labelled. */
  unreviewed: boolean;
  /** Sizes from the features file: equivalent spherical diameter (µm) and biovolume (µm³). */
  esdMin: string;
  esdMax: string;
  biovolumeMin: string;
  biovolumeMax: string;
}

export const NO_FILTER: MosaicFilter = {
  sizeMin: '',
  sizeMax: '',
  field: '',
  fieldMin: '',
  fieldMax: '',
  classes: [],
  minScore: 0,
  manualDiffers: false,
  unreviewed: false,
  esdMin: '',
  esdMax: '',
  biovolumeMin: '',
  biovolumeMax: '',
};

/** Whether a condition on the classifier's results or the labels is set (bins without any then show nothing). */
export function classConditionActive(f: MosaicFilter): boolean {
  return f.classes.length > 0 || f.minScore > 0 || f.manualDiffers || f.unreviewed;
}

/** Whether a condition on the features file's sizes is set. */
export function featureConditionActive(f: MosaicFilter): boolean {
  return f.esdMin !== '' || f.esdMax !== '' || f.biovolumeMin !== '' || f.biovolumeMax !== '';
}

/** Whether any filter value is set. */
export function filterActive(f: MosaicFilter): boolean {
  return f.sizeMin !== '' || f.sizeMax !== '' || (f.field !== '' && (f.fieldMin !== '' || f.fieldMax !== '')) || classConditionActive(f) || featureConditionActive(f);
}
