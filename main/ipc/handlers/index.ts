/** The handler of every channel (the router's table). Adding a channel = contract entry + a line here. */
import type { HandlerTable } from '../router.ts';
import { appReady, getAppInfo } from './app.ts';
import { getCalibrations, setCalibration } from './calibration.ts';
import { getBinMetadata, getRoiImages, openDropped, openPath } from './bin.ts';
import { getCatalogueBin, getNeighbours, getTimeSeries, listBins } from './catalogue.ts';
import { getBinGeometry } from './geometry.ts';
import { confirmLabels, getBinClasses, getBlobMask, getRoiScores, listClasses, listCountedClasses, listResultsFolders, redoLabels, setLabels, showAddResultsFolderDialog, undoLabels } from './classes.ts';
import { exportLabelsTo, showImportLabelsDialog } from './labels-io.ts';
import { chooseExportDestination, showAddFolderDialog, showOpenBinDialog } from './dialog.ts';
import { cancelExport, revealExport, startExport } from './export.ts';
import { addRoot, listProblems, listRoots, reindex, removeRoot } from './roots.ts';

export const HANDLERS: HandlerTable = {
  'app:get-info': getAppInfo,
  'app:ready': appReady,
  'bin:open-path': openPath,
  'bin:open-dropped': openDropped,
  'bin:metadata': getBinMetadata,
  'bin:roi-images': getRoiImages,
  'bins:list': listBins,
  'bins:time-series': getTimeSeries,
  'bins:neighbours': getNeighbours,
  'bins:get': getCatalogueBin,
  'bins:geometry': getBinGeometry,
  'roots:list': listRoots,
  'roots:add': addRoot,
  'roots:remove': removeRoot,
  'roots:reindex': reindex,
  'roots:problems': listProblems,
  'dialog:open-bin': showOpenBinDialog,
  'dialog:add-folder': showAddFolderDialog,
  'dialog:export-destination': chooseExportDestination,
  'export:start': startExport,
  'export:cancel': cancelExport,
  'export:reveal': revealExport,
  'calibration:get': getCalibrations,
  'calibration:set': setCalibration,
  'bin:classes': getBinClasses,
  'bin:roi-scores': getRoiScores,
  'bin:blob-mask': getBlobMask,
  'labels:set': setLabels,
  'labels:confirm': confirmLabels,
  'labels:undo': undoLabels,
  'labels:redo': redoLabels,
  'classes:list': listClasses,
  'dialog:add-results-folder': showAddResultsFolderDialog,
  'classes:counted': listCountedClasses,
  'results:list': listResultsFolders,
  'dialog:import-labels': showImportLabelsDialog,
  'labels:export': exportLabelsTo,
};
