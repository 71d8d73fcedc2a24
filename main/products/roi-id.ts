/**
 * ROI identifiers as products spell them: the integer target number (`roi_numbers`, `roinum`, `roi`) or an
 * image id `<bin>_<5-digit target>` with or without `.png` (iRfcb/ClassiPyR CSVs, the Dashboard's `pid`).
 */
import { IfcbError } from '../../shared/errors.ts';
import { MAX_TARGET } from '../../shared/ipc/contract.ts';

const IMAGE_ID = /^(?:(?<bin>[A-Za-z0-9_]+)_)?(?<target>\d{1,8})(?:\.png)?$/;

/** Parse one ROI identifier; `binId`, when given, must match the id's bin part. PRODUCT_MALFORMED otherwise. */
export function parseRoiId(text: string, file: string, binId?: string): number {
  const m = IMAGE_ID.exec(text.trim());
  const target = m ? Number(m.groups!['target']) : Number.NaN;
  if (!m || !Number.isInteger(target) || target < 1 || target > MAX_TARGET) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: "${text.slice(0, 80)}" is not a ROI number or <bin>_NNNNN id.`, { path: file, value: text.slice(0, 80) });
  }
  const bin = m.groups!['bin'];
  if (binId !== undefined && bin !== undefined && bin !== binId) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: ROI id "${text.slice(0, 80)}" belongs to bin ${bin}, not ${binId}.`, { path: file, value: text.slice(0, 80), binId });
  }
  return target;
}

/** A ROI number read as a float (MATLAB doubles, HDF5 integers): must be a positive integer. */
export function checkRoiNumber(n: number, file: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_TARGET) {
    throw new IfcbError('PRODUCT_MALFORMED', `${file}: ${n} is not a ROI number.`, { path: file, value: n });
  }
  return n;
}
