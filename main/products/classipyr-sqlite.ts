/**
 * ClassiPyR's annotation store `annotations.sqlite`, opened read-only: `annotations(sample_name, roi_number,
 * class_name, annotator, timestamp, is_manual)`. Rows with `is_manual = 0` came from NaN (not reviewed) in an
 * imported `.mat`; they are returned as null labels, as ClassiPyR exports them.
 */
import BetterSqlite3 from 'better-sqlite3';
import { IfcbError } from '../../shared/errors.ts';
import { checkRegularFile } from './product-file.ts';
import { checkRoiNumber } from './roi-id.ts';

export interface ClassipyrAnnotation {
  bin: string;
  roi: number;
  label: string | null;
  annotator: string | null;
  /** As stored (`YYYY-MM-DD HH:MM:SS`, local time of the annotator). */
  timestamp: string | null;
}

interface Row {
  sample_name: unknown;
  roi_number: unknown;
  class_name: unknown;
  annotator: unknown;
  timestamp: unknown;
  is_manual: unknown;
}

export function readClassipyrSqlite(file: string): ClassipyrAnnotation[] {
  checkRegularFile(file);
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const rows = db.prepare('SELECT sample_name, roi_number, class_name, annotator, timestamp, is_manual FROM annotations ORDER BY sample_name, roi_number').all() as Row[];
    return rows.map((r) => {
      if (typeof r.sample_name !== 'string' || typeof r.roi_number !== 'number') {
        throw new IfcbError('PRODUCT_MALFORMED', `${file}: an annotation row has no sample name or ROI number.`, { path: file });
      }
      return {
        bin: r.sample_name,
        roi: checkRoiNumber(r.roi_number, file),
        label: r.is_manual === 0 || typeof r.class_name !== 'string' ? null : r.class_name,
        annotator: typeof r.annotator === 'string' ? r.annotator : null,
        timestamp: typeof r.timestamp === 'string' ? r.timestamp : null,
      };
    });
  } catch (e) {
    if (e instanceof IfcbError) throw e;
    throw new IfcbError('PRODUCT_MALFORMED', `${file} is not a ClassiPyR annotation database (${(e as Error).message}).`, { path: file }, { cause: e });
  } finally {
    db?.close();
  }
}
