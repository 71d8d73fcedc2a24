/** Paths to the real sample bins in ../shared/ifcb-data (read in place, never copied). */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DATA_ROOT = path.resolve(PROJECT_ROOT, '../shared/ifcb-data');

/** The spec's bins A–E (§11) and the special ones of §8, as base paths (no extension). */
export const SAMPLE = {
  A: path.join(DATA_ROOT, 'pyifcb/data/2012/IFCB5_2012_028/IFCB5_2012_028_081515'),
  B: path.join(DATA_ROOT, 'pyifcb/white/D2013/D201305/D20130526/D20130526T095207_IFCB013'),
  C: path.join(DATA_ROOT, 'irfcb/data/D20220522T003051_IFCB134'),
  D: path.join(DATA_ROOT, 'irfcb/data/D20230810T113059_IFCB134'),
  E: path.join(DATA_ROOT, 'pyifcb/partial/IFCB5_2012_028_081515'),
  emptyV2: path.join(DATA_ROOT, 'pyifcb/empty/D20150411T205456_IFCB012'),
  emptyV1: path.join(DATA_ROOT, 'pyifcb/empty/IFCB5_2017_001_033645'),
  invalid: path.join(DATA_ROOT, 'pyifcb/invalid/D20130101T101010_IFCB099'),
  skip: path.join(DATA_ROOT, 'pyifcb/data/skip/IFCB5_2006_001_121212'),
  decoy: path.join(DATA_ROOT, 'pyifcb/data/2012/IFCB5_2012_028/000_decoy/decoy.adc'),
  referencePng: path.join(DATA_ROOT, 'irfcb/reference-png/D20220522T003051_IFCB134_00003.png'),
} as const;
