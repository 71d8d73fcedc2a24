/**
 * The viewer's shell: library | centre (toolbar, mosaic of the view, status bar) | inspector. The view being shown
 * (one bin or a range of bins) is state/view.ts's reducer; the selection is by key across the view's bins, with a
 * basket for bins that left it; the ROI view shows one image large.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { AppInfo, BinSummary, IfcbApi, IfcbEvent, OpenedBin, RejectedPath } from '../shared/ipc/contract.ts';
import type { Result } from '../shared/ipc/result.ts';
import type { ErrorInfo } from '../shared/errors.ts';
import { sortKeyOptions } from '../shared/mosaic/arrange.ts';
import type { SortSpec } from '../shared/mosaic/arrange.ts';
import type { LayoutMode } from '../shared/mosaic/layout.ts';
import { EMPTY_SELECTION, selectionReducer } from '../shared/mosaic/selection.ts';
import { DEFAULT_PX_PER_UM } from '../shared/mosaic/scale-bar.ts';
import { roiKey, slotOfKey, targetOfKey } from '../shared/mosaic/keys.ts';
import { applyJobEvent } from './lib/jobs.ts';
import type { JobState } from './lib/jobs.ts';
import { MAX_ZOOM, MIN_ZOOM, stepZoom } from './lib/keys.ts';
import { useCalibration } from './hooks/use-calibration.ts';
import { usePersistentState } from './hooks/use-persistent-state.ts';
import { useLatest } from './hooks/use-latest.ts';
import { useView } from './hooks/use-view.ts';
import { tableOf, useClasses } from './hooks/use-classes.ts';
import { useClassChips } from './hooks/use-class-chips.ts';
import { useAnnotation } from './hooks/use-annotation.ts';
import type { RangeRequest } from './hooks/use-view.ts';
import { useViewLoader } from './hooks/use-view-loader.ts';
import { useBinMetadata } from './hooks/use-bin-metadata.ts';
import { useShortcuts } from './hooks/use-shortcuts.ts';
import { useFileDrop } from './hooks/use-file-drop.ts';
import { useBinStepQueue } from './hooks/use-bin-step-queue.ts';
import { useWindowWidth } from './hooks/use-window-width.ts';
import { INSPECTOR_WIDTH, LIBRARY_WIDTH, paneWidths } from './lib/pane-layout.ts';
import { CLASS_SORT_OPTIONS, buildDisplay, classesNeeded, columnsNeeded, filterProblem, sameDisplayInputs, sortsAcross } from './state/display.ts';
import type { DisplayModel } from './state/display.ts';
import { viewBins } from './state/view.ts';
import type { ViewBin, ViewState } from './state/view.ts';
import { basketCounts, exportItems as basketExportItems, restoreSelection, stashSelection } from './state/basket.ts';
import type { Basket } from './state/basket.ts';
import { Library } from './components/library.tsx';
import { Inspector } from './components/inspector.tsx';
import { Toolbar } from './components/toolbar.tsx';
import { NO_FILTER, filterActive } from './state/filter.ts';
import type { MosaicFilter } from './state/filter.ts';
import { Splitter } from './components/splitter.tsx';
import { PathDialog } from './components/open-bin-dialog.tsx';
import { ExportDialog } from './components/export-dialog.tsx';
import { ExportLabelsDialog, ImportLabelsDialog } from './components/labels-dialogs.tsx';
import { CentrePanel } from './components/centre-panel.tsx';
import { StatusBar } from './components/status-bar.tsx';
import { RoiView } from './components/roi-view.tsx';
import { withOpenBinError, withOpenBinsEntry } from './components/open-bins.tsx';
import type { OpenBinsEntry } from './components/open-bins.tsx';
import { Toast } from './components/toast.tsx';
import { ClassPalette } from './components/class-palette.tsx';
import type { Notice } from './components/toast.tsx';
import { ClassPanel } from './components/class-panel.tsx';

const APP_NAME = 'IFCB Viewer';
const NO_KEYS: readonly number[] = [];

type Dialog = null | { kind: 'open-bin' | 'add-folder'; error: ErrorInfo | null } | { kind: 'export' } | { kind: 'import-labels' } | { kind: 'export-labels' };

export function App({ api }: { api: IfcbApi }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const { view, openBin, openRange, fetchGeometry, dropFarGeometry } = useView(api);
  const [selection, dispatch] = useReducer(selectionReducer, EMPTY_SELECTION);
  const [basket, setBasket] = useState<Basket>(new Map());
  const [zoom, setZoom] = usePersistentState('zoom', 1);
  const [mode, setMode] = usePersistentState<LayoutMode>('mode', 'true-scale');
  const [sort, setSort] = useState<SortSpec>({ key: 'target' });
  const [filter, setFilter] = useState<MosaicFilter>(NO_FILTER);
  const [filterOpen, setFilterOpen] = useState(false);
  const [labelsShown, setLabelsShown] = usePersistentState('class-labels', true);
  const [classPanelOpen, setClassPanelOpen] = usePersistentState('class-panel-open', true);
  const [libraryWidth, setLibraryWidth] = usePersistentState('library-width', 280);
  const [inspectorWidth, setInspectorWidth] = usePersistentState('inspector-width', 320);
  // null until the user shows or hides the inspector: then it follows the window width (lib/pane-layout.ts).
  const [inspectorShown, setInspectorShown] = usePersistentState<boolean | null>('inspector-shown', null);
  const [roiViewKey, setRoiViewKey] = useState<number | null>(null);
  // The blob outline over the inspector's and the ROI view's image (B), the same for every ROI until toggled.
  const [blobOutline, setBlobOutline] = usePersistentState('blob-outline', true);
  const toggleBlobOutline = useCallback(() => setBlobOutline((v) => !v), [setBlobOutline]);
  const [jobs, setJobs] = useState<readonly JobState[]>([]);
  const [catalogueVersion, setCatalogueVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const dismissNotice = useCallback(() => setNotice(null), []);
  const [pxPerUmByInstrument, setInstrumentPxPerUm] = useCalibration(api, useCallback((e: ErrorInfo) => setNotice({ tone: 'error', text: e.message, code: e.code }), []));
  const windowWidth = useWindowWidth();
  const [openBins, setOpenBins] = useState<readonly OpenBinsEntry[]>([]);
  // A path that could not be opened stays listed under Open bins with its error (and is said once in a notice).
  const rememberRejected = useCallback((rejected: readonly RejectedPath[]) => {
    setOpenBins((list) => rejected.reduce((l, r) => withOpenBinsEntry(l, { kind: 'failed', name: r.name, error: { code: r.code, message: r.message } }), list));
    const first = rejected[0];
    if (first) setNotice({ tone: 'error', text: `${first.name}: ${first.message}`, code: first.code });
  }, []);
  const { loader, imageError, clearImageError } = useViewLoader(api, view);
  const reportError = useCallback((e: ErrorInfo) => setNotice({ tone: 'error', text: e.message, code: e.code }), []);
  // Classifier results and labels of the view's bins (tiles, inspector, class panel, labelling read them from here).
  const classes = useClasses(api, view, reportError);
  const tables = classes.classes.tables;
  const { classSlots, classLabelOf, classOptions } = useClassChips(tables, labelsShown);

  const bins = viewBins(view);
  // The view's bin ids, stable while they are the same (geometry arriving does not change them).
  const idsKey = bins.map((b) => b.id).join(',');
  const binIds = useMemo(() => (idsKey === '' ? [] : idsKey.split(',')), [idsKey]);
  const single = view.kind === 'bin' ? bins[0]! : null;
  const pxPerUmOfBin = useCallback((bin: ViewBin | undefined) => (bin && pxPerUmByInstrument[String(bin.instrument)]) || DEFAULT_PX_PER_UM, [pxPerUmByInstrument]);
  const pxPerUmOf = useCallback((slot: number) => pxPerUmOfBin(bins[slot]), [pxPerUmOfBin, bins]);
  const instruments = useMemo(() => new Set(bins.map((b) => b.instrument)), [bins]);
  // The scale bar and the calibration field apply to one instrument; a range of several has no single one.
  const scalePxPerUm = bins.length > 0 && instruments.size === 1 ? pxPerUmOfBin(bins[0]) : null;

  // ---- the view's selection moves to the basket when the view changes, and comes back with its bins ----
  const shownIds = useRef<readonly string[]>([]);
  const selectionRef = useLatest(selection);
  const basketRef = useLatest(basket);
  useEffect(() => {
    const before = shownIds.current;
    if (before.length === binIds.length && before.every((id, i) => id === binIds[i])) return;
    const next = stashSelection(basketRef.current, before, selectionRef.current.selected);
    basketRef.current = next;
    setBasket(next);
    dispatch({ type: 'reset', selected: restoreSelection(next, binIds) });
    shownIds.current = binIds;
    setRoiViewKey(null);
  }, [binIds, basketRef, selectionRef]);

  // ---- geometry: the single bin at once; a range as it is scrolled, or all of it for a sort or filter across it ----
  const columns = useMemo(() => columnsNeeded(sort, filter), [sort, filter]);
  const needsAll = view.kind === 'range' && (sortsAcross(sort) || filterActive(filter));
  useEffect(() => {
    if (view.kind === 'bin') fetchGeometry([0], columns);
    else if (view.kind === 'range' && (needsAll || columns.length > 0)) {
      // a column asked later only for the bins already here; every bin when the sort or filter crosses them
      const slots = needsAll ? bins.keys() : bins.flatMap((b, slot) => (b.status === 'ready' ? [slot] : []));
      fetchGeometry(slots, columns);
    }
  }, [view, bins, columns, needsAll, fetchGeometry]);
  const onNearSlots = useCallback((slots: readonly number[]) => fetchGeometry(slots, columns), [fetchGeometry, columns]);
  // Scrolling a range keeps the geometry of the bins around the viewport only (memory stays flat over a long day);
  // a sort or filter across the range needs every bin, so nothing is let go then.
  const onNearRange = useCallback((near: { first: number; last: number }) => (needsAll ? undefined : dropFarGeometry(near)), [dropFarGeometry, needsAll]);

  // A view change that shows nothing new (bins being asked for) keeps the display, so the mosaic is not re-laid.
  // The class tables count only while a class condition or sort reads them (a label otherwise rebuilds nothing).
  const displayClasses = classesNeeded(sort, filter) ? classes.classes : null;
  const shown = useRef<{ view: ViewState; sort: SortSpec; filter: MosaicFilter; pxPerUmOf: typeof pxPerUmOfBin; classes: typeof displayClasses; model: DisplayModel | null } | null>(null);
  const model = useMemo(() => {
    const last = shown.current;
    if (last && last.sort === sort && last.filter === filter && last.pxPerUmOf === pxPerUmOfBin && last.classes === displayClasses && sameDisplayInputs(last.view, view)) return last.model;
    const built = view.kind === 'bin' || view.kind === 'range' ? buildDisplay(view, { sort, filter, pxPerUmOf: pxPerUmOfBin, ...(displayClasses ? { classes: displayClasses } : {}) }) : null;
    shown.current = { view, sort, filter, pxPerUmOf: pxPerUmOfBin, classes: displayClasses, model: built };
    return built;
  }, [view, sort, filter, pxPerUmOfBin, displayClasses]);
  // A new sort or filter starts at the top: the mosaic scrolls there when `arrangement` changes.
  const arrangement = useMemo(() => JSON.stringify([sort, filter]), [sort, filter]);
  // The image and ADC keys (also the filter's fields), then the keys of the class tables (their conditions have fields of their own).
  const fieldOptions = useMemo(() => {
    const adcColumns = [...new Set(bins.flatMap((b) => b.geometry?.adcColumns ?? []))];
    return sortKeyOptions({ adcColumns });
  }, [bins]);
  const sortOptions = useMemo(() => [...fieldOptions, ...CLASS_SORT_OPTIONS], [fieldOptions]);

  // ---- opening ----
  // The bin asked for last while the view is one bin (null for a range): `[` / `]` step from it, even before the
  // view shows it, so a press right after a step does not start again from the old bin.
  const shownBinId = useRef<string | null>(null);
  const show = useCallback(
    (binId: string, summary?: BinSummary) => {
      // A repeat while the same bin is still loading joins that open; any other open (re)reads the bin.
      const current = view.kind === 'bin' ? view.bins[0]! : null;
      if (current && current.id === binId && (current.status === 'waiting' || current.status === 'loading')) return;
      shownBinId.current = binId;
      openBin(binId, summary);
    },
    [view, openBin],
  );
  const showRef = useLatest(show);
  const showOpened = useCallback(
    (opened: readonly OpenedBin[]) => {
      setOpenBins((list) => opened.reduce((l, o) => withOpenBinsEntry(l, { kind: 'opened', bin: o.bin }), list));
      const last = opened[opened.length - 1];
      if (last) showRef.current(last.bin.id, last.bin);
    },
    [showRef],
  );
  const showRange = useCallback(
    (range: RangeRequest) => {
      shownBinId.current = null;
      void openRange(range);
    },
    [openRange],
  );
  // A bin that fails when shown keeps its entry under Open bins, with the error.
  const singleError = single?.status === 'error' ? single.error : null;
  useEffect(() => {
    if (single && singleError) setOpenBins((list) => withOpenBinError(list, single.id, singleError));
  }, [single, singleError]);

  // What the app offers (native dialogs or a path field, catalogue, export): asked once per api. Open
  // actions taken before it has arrived wait for it rather than guess.
  const appInfoRef = useRef<{ api: IfcbApi; result: Promise<Result<AppInfo>> } | null>(null);
  const appInfo = useCallback((): Promise<Result<AppInfo>> => {
    if (appInfoRef.current?.api !== api) appInfoRef.current = { api, result: api.getAppInfo() };
    return appInfoRef.current.result;
  }, [api]);

  // Start-up: what the app offers, and any bin the OS asked to open before the page was ready.
  useEffect(() => {
    let live = true;
    void appInfo().then((r) => {
      if (!live) return;
      if (r.ok) setInfo(r.value);
      else setNotice({ tone: 'error', text: r.error.message, code: r.error.code });
    });
    // Not guarded by `live`: main hands the queued bins out once, even if StrictMode runs this effect twice.
    void api.ready().then((r) => {
      if (!r.ok) return;
      showOpened(r.value.opened);
      rememberRejected(r.value.rejected);
    });
    return () => {
      live = false;
    };
  }, [api, appInfo, showOpened, rememberRejected]);

  // ---- export and the library pane (menu commands act on the state of the moment they arrive) ----
  const exportItems = useMemo(() => basketExportItems(basket, binIds, selection.selected), [basket, binIds, selection]);
  const openExport = useCallback(() => {
    if (exportItems.length > 0) setDialog({ kind: 'export' });
  }, [exportItems.length]);
  const openExportRef = useLatest(openExport);

  // View › Library (and after File › Add Folder): bring the library into view and put the cursor in its search.
  const showLibrary = useCallback(() => {
    setLibraryWidth((w) => Math.max(LIBRARY_WIDTH.min, w));
    const search = document.querySelector<HTMLElement>('.library input[type="search"]');
    if (search) search.focus();
    else document.querySelector<HTMLElement>('.library')?.focus();
  }, [setLibraryWidth]);
  const showLibraryRef = useLatest(showLibrary);

  // File › Import labels… / Export labels… (the library's buttons too)
  const openLabelsDialog = useCallback((kind: 'import-labels' | 'export-labels') => setDialog({ kind }), []);
  // an import changed labels: the view's class tables are read again, and the chart with them (classes.changes)
  const labelsImported = classes.refresh;

  useEffect(
    () =>
      api.onEvent((event: IfcbEvent) => {
        setJobs((j) => applyJobEvent(j, event));
        if (event.type === 'bin-opened') showOpened([{ bin: event.bin }]);
        else if (event.type === 'bin-rejected') rememberRejected([event.rejected]);
        else if (event.type === 'catalogue-changed') setCatalogueVersion((v) => v + 1);
        else if (event.type === 'job-finished' && event.kind === 'reindex') setCatalogueVersion((v) => v + 1);
        else if (event.type === 'menu-command' && event.command === 'export-selection') openExportRef.current();
        else if (event.type === 'menu-command' && event.command === 'show-library') showLibraryRef.current();
        else if (event.type === 'menu-command' && (event.command === 'import-labels' || event.command === 'export-labels')) openLabelsDialog(event.command);
        if (event.type === 'job-finished' && event.outcome === 'failed' && event.error) {
          setNotice({ tone: 'error', text: event.error.message, code: event.error.code });
        } else if (event.type === 'job-finished' && event.summary) {
          setNotice({ tone: 'info', text: event.summary });
        }
      }),
    [api, showOpened, rememberRejected, openExportRef, showLibraryRef, openLabelsDialog],
  );

  const title = view.kind === 'none' ? null : view.label;
  useEffect(() => {
    document.title = title ? `${title} — ${APP_NAME}` : APP_NAME;
  }, [title]);

  // Native dialogs or the path field, by what main offers (known once app info has arrived).
  const openFile = useCallback(async () => {
    const offered = await appInfo();
    if (!offered.ok) return setNotice({ tone: 'error', text: offered.error.message, code: offered.error.code });
    if (offered.value.features.pathInput) return setDialog({ kind: 'open-bin', error: null });
    const r = await api.showOpenBinDialog({});
    if (r.ok && r.value.opened) showOpened([r.value.opened]);
    else if (!r.ok) setNotice({ tone: 'error', text: r.error.message, code: r.error.code });
  }, [api, appInfo, showOpened]);

  const addFolder = useCallback(async () => {
    const offered = await appInfo();
    if (!offered.ok) return setNotice({ tone: 'error', text: offered.error.message, code: offered.error.code });
    if (offered.value.features.pathInput) return setDialog({ kind: 'add-folder', error: null });
    const r = await api.showAddFolderDialog({});
    // main indexes the new folder itself (its progress arrives as job events); show the root now.
    if (r.ok && r.value.root) setCatalogueVersion((v) => v + 1);
    else if (!r.ok) setNotice({ tone: 'error', text: r.error.message, code: r.error.code });
  }, [api, appInfo]);

  const submitPath = async (kind: 'open-bin' | 'add-folder', path: string) => {
    if (kind === 'open-bin') {
      const r = await api.showOpenBinDialog({ path });
      if (!r.ok) return setDialog({ kind, error: r.error });
      setDialog(null);
      if (r.value.opened) showOpened([r.value.opened]);
    } else {
      const r = await api.showAddFolderDialog({ path });
      if (!r.ok) return setDialog({ kind, error: r.error });
      setDialog(null);
      // main is already indexing it
      if (r.value.root) setCatalogueVersion((v) => v + 1);
    }
  };

  // `[` / `]`: every press counts (lib/bin-step-queue.ts); only the bin where the walk stops is opened.
  const binSteps = useBinStepQueue(api, (id) => show(id));
  const stepBin = useCallback(
    (direction: 'previous' | 'next') => {
      const from = shownBinId.current;
      if (from && info?.features.catalogue) binSteps.press(from, direction);
    },
    [binSteps, info],
  );

  const drop = useFileDrop(api, {
    onOpened: showOpened,
    onRootsAdded: () => setCatalogueVersion((v) => v + 1),
    onRejected: rememberRejected,
    onProblem: ({ text, code }) => setNotice({ tone: 'error', text, code }),
  });

  // Focus moves into a dialog when it opens (so Escape and Tab act there), and back to the mosaic after.
  const dialogKind = dialog?.kind ?? null;
  useEffect(() => {
    if (dialogKind === null) {
      document.querySelector<HTMLElement>('.mosaic-scroll')?.focus({ preventScroll: true });
      return;
    }
    const modal = document.querySelector<HTMLElement>('.modal[role="dialog"], [role="dialog"]:not(.roi-view)');
    if (modal && !modal.contains(document.activeElement)) {
      modal.querySelector<HTMLElement>('input:not([disabled]), select, button:not([disabled])')?.focus();
    }
  }, [dialogKind]);

  const changeZoom = useCallback((z: number) => setZoom(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z))), [setZoom]);
  const zoomStep = useCallback((direction: 1 | -1) => setZoom((z) => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, stepZoom(z, direction)))), [setZoom]);
  useShortcuts({
    enabled: dialog === null && roiViewKey === null,
    zoom,
    onZoom: changeZoom,
    onExport: openExport,
    onOpenFile: () => void openFile(),
    onNeighbour: stepBin,
  });


  // ---- the inspector and the ROI view follow the focused tile ----
  const focusKey = roiViewKey ?? selection.focus;
  const focusSlot = focusKey === null ? 0 : slotOfKey(focusKey);
  const focusBin = bins[focusSlot] ?? null;
  // The full metadata waits for the first pixels, unless there are none to wait for.
  const firstPixels = useFirstPixels(loader);
  const noPixels = !focusBin?.geometry?.bin.hasRoiFile || focusBin.geometry.target.length === 0 || model?.shown === 0;
  const { metadata } = useBinMetadata(api, focusBin?.status === 'ready' ? focusBin.id : null, view.generation, firstPixels || noPixels);
  const roiIndex = focusKey === null || !metadata ? -1 : metadata.rois.target.indexOf(targetOfKey(focusKey));
  const inspectorLoader = useMemo(() => (loader ? { fetchOne: (target: number) => loader.fetchOne(roiKey(focusSlot, target)) } : null), [loader, focusSlot]);

  const stepRoi = useCallback(
    (direction: 1 | -1) => {
      setRoiViewKey((key) => {
        if (key === null || !model) return key;
        const at = model.keys.indexOf(key);
        const next = at < 0 ? undefined : model.keys[at + direction];
        if (next === undefined) return key;
        dispatch({ type: 'move', target: next, order: model.keys });
        return next;
      });
    },
    [model],
  );
  const closeRoiView = useCallback(() => setRoiViewKey(null), []);
  const annotation = useAnnotation({
    api,
    classes,
    canLabel: info?.features.catalogue ?? false,
    bins,
    selection,
    order: model?.keys ?? NO_KEYS,
    roiViewKey,
    // a view with images to label, and no dialog over it
    keysEnabled: dialog === null && model !== null,
    notify: setNotice,
    onFocus: useCallback(
      (key: number) => {
        if (model) dispatch({ type: 'move', target: key, order: model.keys });
      },
      [model],
    ),
    onRoiViewNext: useCallback(() => stepRoi(1), [stepRoi]),
    onToggleBlobOutline: toggleBlobOutline,
  });
  let roiView = null;
  if (roiViewKey !== null && loader && model) {
    const index = model.keys.indexOf(roiViewKey);
    const bin = bins[slotOfKey(roiViewKey)];
    if (bin && index >= 0) {
      roiView = (
        <RoiView
          binId={bin.id}
          roiKey={roiViewKey}
          width={model.width[index]!}
          height={model.height[index]!}
          pxPerUm={pxPerUmOfBin(bin)}
          loader={loader}
          metadata={metadata && metadata.bin.id === bin.id ? metadata : null}
          api={api}
          classes={tableOf(classes.classes, bin.id)}
          blobOutline={blobOutline}
          onToggleBlobOutline={toggleBlobOutline}
          position={index}
          total={model.keys.length}
          onStep={stepRoi}
          onClose={closeRoiView}
        />
      );
    }
  }

  const counts = useMemo(() => basketCounts(basket, binIds, selection.selected), [basket, binIds, selection]);
  // A filter that hides everything keeps the toolbar (its Clear button) usable.
  const canMosaic = !!model && (model.shown > 0 || filterActive(filter) || model.binsLoaded < model.binsTotal);
  // Panes fit the window (a 1024 px one too): lib/pane-layout.ts narrows them, or hides the inspector when automatic.
  const panes = paneWidths(windowWidth, { library: libraryWidth, inspector: inspectorWidth, inspectorShown });
  const inspectorHidden = panes.inspector === null;
  const gridColumns = `${panes.library}px 1px minmax(0, 1fr)${panes.inspector === null ? '' : ` 1px ${panes.inspector}px`}`;
  return (
    <div
      className={drop.dragging ? 'app is-dragging' : 'app'}
      // Open actions work once main has said what it offers (tests wait for this).
      data-ready={info ? 'true' : 'false'}
      style={{ gridTemplateColumns: gridColumns }}
      {...drop.props}
    >
      <Library
        api={api}
        info={info}
        activeBinId={single?.id ?? null}
        onOpenBin={(id) => show(id)}
        onOpenRange={showRange}
        openBins={openBins}
        onOpenFile={() => void openFile()}
        onAddFolder={() => void addFolder()}
        catalogueVersion={catalogueVersion}
        labelsVersion={classes.changes}
        jobs={jobs}
        {...(info?.features.catalogue ? { onImportLabels: () => openLabelsDialog('import-labels'), onExportLabels: () => openLabelsDialog('export-labels') } : {})}
      />
      <Splitter width={panes.library} onWidth={setLibraryWidth} min={LIBRARY_WIDTH.min} max={LIBRARY_WIDTH.max} side="left" label="Resize the library" />
      <main className="centre">
        <Toolbar
          zoom={zoom}
          onZoom={changeZoom}
          mode={mode}
          onMode={setMode}
          sort={sort}
          onSort={setSort}
          sortOptions={sortOptions}
          fieldOptions={fieldOptions}
          filter={filter}
          onFilter={setFilter}
          filterOpen={filterOpen}
          onFilterOpen={setFilterOpen}
          selected={selection.selected.size}
          basket={counts}
          onClearBasket={() => {
            setBasket(new Map());
            dispatch({ type: 'none' });
          }}
          onExport={openExport}
          disabled={!canMosaic}
          inspectorHidden={inspectorHidden}
          onShowInspector={() => setInspectorShown(true)}
          classOptions={classOptions}
          shown={model ? { shown: model.shown, total: model.total, ...model.classes } : null}
        />
        {canMosaic && <ClassPalette control={annotation} />}
        <div className="centre-body">
          <CentrePanel
            view={view}
            model={model}
            loader={loader}
            imageError={imageError}
            onDismissImageError={clearImageError}
            filterWarning={filterProblem(filter)}
            onClearFilter={() => setFilter(NO_FILTER)}
            onOpenFile={() => void openFile()}
            zoom={zoom}
            mode={mode}
            pxPerUmOf={pxPerUmOf}
            scalePxPerUm={scalePxPerUm}
            selection={selection}
            dispatch={dispatch}
            onActivate={setRoiViewKey}
            keyboardActive={dialog === null && roiViewKey === null}
            arrangement={arrangement}
            onZoomStep={zoomStep}
            onNearSlots={onNearSlots}
            onNearRange={onNearRange}
            roiView={roiView}
            labelsShown={labelsShown}
            onLabelsShown={setLabelsShown}
            {...(classLabelOf ? { classLabelOf } : {})}
          />
          {notice && <Toast notice={notice} onDismiss={dismissNotice} />}
          {drop.dragging && <div className="drop-target">Drop .roi/.adc/.hdr files to open them, or folders to add them to the library</div>}
        </div>
        <StatusBar
          view={view}
          model={model}
          jobs={jobs}
          pxPerUm={scalePxPerUm}
          onPxPerUm={(v) => bins[0] && setInstrumentPxPerUm(bins[0].instrument, v)}
          zoom={zoom}
        />
      </main>
      {panes.inspector !== null && <Splitter width={panes.inspector} onWidth={setInspectorWidth} min={INSPECTOR_WIDTH.min} max={INSPECTOR_WIDTH.max} side="right" label="Resize the inspector" />}
      {!inspectorHidden && (
        <div className="side-pane">
          <Inspector
            metadata={metadata && focusBin && metadata.bin.id === focusBin.id ? metadata : null}
            roiIndex={roiIndex}
            loader={inspectorLoader}
            pxPerUm={pxPerUmOfBin(focusBin ?? undefined)}
            onCollapse={() => setInspectorShown(false)}
            api={api}
            classes={tableOf(classes.classes, focusBin?.id)}
            blobOutline={blobOutline}
            onToggleBlobOutline={toggleBlobOutline}
          />
          {(view.kind === 'bin' || view.kind === 'range') && (
            <ClassPanel
              tables={tables}
              failed={classes.classes.failed}
              binCount={bins.length}
              scope={view.kind}
              selected={filter.classes}
              onSelect={(names) => setFilter((f) => ({ ...f, classes: names }))}
              palette={classSlots}
              open={classPanelOpen}
              onOpen={setClassPanelOpen}
            />
          )}
        </div>
      )}
      {dialog && (dialog.kind === 'open-bin' || dialog.kind === 'add-folder') && (
        <PathDialog
          title={dialog.kind === 'open-bin' ? 'Open bin' : 'Add folder to the library'}
          label={dialog.kind === 'open-bin' ? 'Path of a .roi, .adc or .hdr file' : 'Folder of IFCB data'}
          placeholder={dialog.kind === 'open-bin' ? '/data/D20130526T095207_IFCB013.roi' : '/data/ifcb'}
          submitLabel={dialog.kind === 'open-bin' ? 'Open' : 'Add'}
          error={dialog.error}
          onCancel={() => setDialog(null)}
          onSubmit={(path) => void submitPath(dialog.kind, path)}
        />
      )}
      {dialog?.kind === 'export' && <ExportDialog api={api} selection={exportItems} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'import-labels' && <ImportLabelsDialog api={api} pathInput={info?.features.pathInput ?? false} onClose={() => setDialog(null)} onImported={labelsImported} />}
      {dialog?.kind === 'export-labels' && (
        <ExportLabelsDialog
          api={api}
          pathInput={info?.features.pathInput ?? false}
          openBinId={single?.id ?? null}
          viewBinIds={view.kind === 'range' ? binIds : []}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

/** True once the loader delivered its first images (what is deferred until the first screen is painted waits for this). */
function useFirstPixels(loader: { onLoad(listener: () => void): () => void } | null): boolean {
  const [state, setState] = useState<{ loader: unknown; loaded: boolean }>({ loader: null, loaded: false });
  useEffect(() => {
    if (!loader) return;
    return loader.onLoad(() => setState((s) => (s.loader === loader && s.loaded ? s : { loader, loaded: true })));
  }, [loader]);
  return state.loader === loader && state.loaded;
}

