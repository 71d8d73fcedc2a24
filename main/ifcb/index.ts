/**
 * The IFCB reader's public API (pyifcb 1.3 semantics; spec: ../shared/docs/ifcb-format.md).
 * Import from here, not from the individual files.
 *
 *   const bin = openBin(path);                 // any of the 3 files or the base path; reads nothing
 *   bin.headers / bin.adc / bin.metrics        // parsed on first use, cached
 *   bin.images.keys() / .geometries()          // no pixels read
 *   { using scope = bin.scope();               // .roi open until the block ends (ref-counted)
 *     const ims = scope.images.getMany(ts); }  // many images, few syscalls (coalesced reads)
 *   const mem = bin.read();                    // everything in memory, every file closed
 *   for (const bin of new DataDirectory(root)) …   // or: for await (const bin of dd.walk())
 */
export type * from './types.ts';
export { openBin, readBin, binBasePath, Bin, MemoryBin } from './bin.ts';
export { readBinFile, openBinFile, binFileError, type BinFileKind } from './files.ts';
export { DataDirectory, type DataDirectoryOptions, type DirectoryProblem } from './data-directory.ts';
export { RawImageMap, StitchedImageMap, rawGeometries, type PixelSource } from './image-map.ts';
export {
  readRois,
  readRoiPixels,
  readRoi,
  sliceRois,
  planRoiReads,
  validateRoiGeometry,
  checkRoiBounds,
  MAX_ROI_SIDE,
  MAX_ROI_PIXELS,
  type RoiExtent,
  type RoiContext,
  type ReadGroup,
} from './roi.ts';
export { parseHeader, decodeHeader, headerLookup, HEADER_MAX_BYTES } from './hdr.ts';
export { parseAdc, roiColumnIndex, schemaColumns, SCHEMA_1_COLUMNS, SCHEMA_2_COLUMNS, ADC_MAX_BYTES, type RoiColumns } from './adc.ts';
export { findStitchPairs, stitchPixels, rawStitch, infill, type StitchPair, type StitchPart, type RawStitch } from './stitch.ts';
export { computeMetrics } from './metrics.ts';
export { parseBinName, tryParseBinName, isBinId, formatBinId, roiFileName, type ParsedName } from '../../shared/ifcb/bin-id.ts';
