/** The synthetic-bin writer lives in main/demo (the app writes its demo library with it); tests import it from here. */
export { writeSyntheticBin } from '../../main/demo/synthetic-bin.ts';
export type { RoiPainter, SyntheticBin, SyntheticBinOptions, SyntheticImage } from '../../main/demo/synthetic-bin.ts';
