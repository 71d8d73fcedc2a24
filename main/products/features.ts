/**
 * Features tables `<bin>_features_vN.csv` (ifcb-features) and `<bin>_fea_vN.csv` (ifcb-analysis, pyifcb):
 * first column `roi_number` (or `roiNumber`), then any set of numeric columns, every length in pixels. The
 * column set differs between producers, so nothing here assumes one beyond the size columns `roiSize` uses.
 */
import { IfcbError } from '../../shared/errors.ts';
import { csvNumber, parseCsv, requireWidth } from './csv.ts';
import { parseRoiId } from './roi-id.ts';
import type { FeatureTable, RoiSize } from './types.ts';

export function readFeatures(text: string, file: string, version: number): FeatureTable {
  const [header, ...rows] = parseCsv(text, file);
  if (!header || (header[0] !== 'roi_number' && header[0] !== 'roiNumber')) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: the first column must be roi_number.`, { path: file });
  }
  requireWidth(rows, header.length, file);
  const columns = header.slice(1);
  const arrays = columns.map(() => new Float64Array(rows.length));
  rows.forEach((r, i) => {
    for (let j = 0; j < arrays.length; j++) arrays[j]![i] = csvNumber(r[j + 1]!, file, i + 2, columns[j]!);
  });
  const values = new Map(columns.map((name, j) => [name, arrays[j]!]));
  return { source: file, version, columns, rois: rows.map((r) => parseRoiId(r[0]!, file)), values };
}

/** Sizes in µm / µm³ of row `row`, or null when the table lacks the size columns. */
export function roiSize(table: FeatureTable, row: number, pxPerUm: number): RoiSize | null {
  const col = (name: string): number | undefined => table.values.get(name)?.[row];
  const esd = col('EquivDiameter');
  const major = col('MajorAxisLength');
  const minor = col('MinorAxisLength');
  const volume = col('summedBiovolume') ?? col('Biovolume');
  if (esd === undefined || major === undefined || minor === undefined || volume === undefined) return null;
  return { esdUm: esd / pxPerUm, majorAxisUm: major / pxPerUm, minorAxisUm: minor / pxPerUm, biovolumeUm3: volume / pxPerUm ** 3 };
}
