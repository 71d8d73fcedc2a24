/** The fixtures' PRNG lives beside the synthetic-bin writer in main/demo; tests import it from here. */
export { mulberry32 } from '../../main/demo/prng.ts';
