/** Reading a discovered product file with the reader its kind (and, for `.mat`/`.h5`, its magic) calls for. */
import { IfcbError } from '../../shared/errors.ts';
import { BlobArchive } from './blobs.ts';
import { looksLikeHdf5, readClassH5 } from './class-h5.ts';
import { readClassMat } from './class-mat.ts';
import { readClassRoiCsv } from './class-roi-csv.ts';
import { thresholdsFileFor, type ProductFile } from './discover.ts';
import { readFeatures } from './features.ts';
import { readManualMat } from './manual-mat.ts';
import { readProductBytes, readProductText } from './product-file.ts';
import { readScoreMatrixCsv } from './score-matrix-csv.ts';
import { readSykeProb, readSykeThresholds } from './syke-prob.ts';
import type { ClassScores, FeatureTable, ManualLabels } from './types.ts';

/** What the class readers may need from the bin: its id (to check image ids) and its scored targets in order. */
export interface BinContext {
  binId: string;
  /** Targets with an image, ascending (rows of a score matrix without ROI column). */
  imageTargets: readonly number[];
}

export function loadClassScores(file: ProductFile, bin: BinContext): ClassScores {
  switch (file.kind) {
    case 'class-h5':
    case 'class-mat': {
      const bytes = readProductBytes(file.path);
      // the Dashboard serves v3 HDF5 under the `_class_vN.mat` name: trust the magic, not the name
      return looksLikeHdf5(bytes) ? readClassH5(bytes, file.path) : readClassMat(bytes, file.path);
    }
    case 'class-scores-csv':
      return readScoreMatrixCsv(readProductText(file.path), file.path, { binId: bin.binId, rowTargets: bin.imageTargets });
    case 'class-roi-csv':
      return readClassRoiCsv(readProductText(file.path), file.path, bin.binId);
    case 'class-prob-csv': {
      const thresholds = thresholdsFileFor(file.path);
      return readSykeProb(readProductText(file.path), file.path, thresholds ? readSykeThresholds(readProductText(thresholds), thresholds) : undefined);
    }
    default:
      throw new IfcbError('INVALID_ARGUMENT', `${file.path} is not a class-score file.`, { path: file.path, kind: file.kind });
  }
}

export function loadManual(file: ProductFile): ManualLabels {
  return readManualMat(readProductBytes(file.path), file.path);
}

export function loadFeatures(file: ProductFile): FeatureTable {
  return readFeatures(readProductText(file.path), file.path, file.version);
}

export function loadBlobs(file: ProductFile, binId: string): BlobArchive {
  return new BlobArchive(readProductBytes(file.path), file.path, binId);
}
