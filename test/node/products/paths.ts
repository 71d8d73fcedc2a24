/** The real product files in ../shared/ifcb-products (read in place, never copied). */
import path from 'node:path';
import { PROJECT_ROOT } from '../../helpers/data.ts';

export const PRODUCTS_ROOT = path.resolve(PROJECT_ROOT, '../shared/ifcb-products');

export function product(relative: string): string {
  return path.join(PRODUCTS_ROOT, relative);
}
