/**
 * The IFCB reader's public API (pyifcb 1.3 semantics; spec: ../shared/docs/ifcb-format.md).
 * Import from here, not from the individual files.
 *
 *   const bin = openBin(path);                 // any of the 3 files or the base path; reads nothing
 *   bin.headers / bin.adc / bin.metrics        // parsed on first use, cached
 *   bin.images.keys() / .geometries()          // no pixels read
 *   { using scope = bin.scope();               // .roi open until the block ends (ref-counted)
 *     const ims = scope.images.getMany(ts); }  // many images, few syscalls (coalesced reads)
 *   bin.readImagesInto(ts, layout)             // many images straight into one payload (bin:roi-images)
 *   const mem = bin.read();                    // everything in memory, every file closed
 *   for (const bin of new DataDirectory(root)) …   // or: for await (const bin of dd.walk())
 */
export type * from './types.ts';
export { openBin, readBin, Bin, MemoryBin } from './bin.ts';
export { readBinFile, openBinFile, checkBinFile, binFileError, type BinFileKind } from './files.ts';
export { DataDirectory, type DataDirectoryOptions, type DirectoryProblem } from './data-directory.ts';
export { HEADER_MAX_BYTES } from './hdr.ts';
export { ADC_MAX_BYTES } from './adc.ts';
