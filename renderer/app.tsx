/**
 * The viewer's shell: library | mosaic (toolbar, status bar) | inspector, the open bin, the selection
 * (with a basket that spans bins), and the app-wide keyboard shortcuts.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { DragEvent as ReactDragEvent, ReactNode } from 'react';
import type { AppInfo, BinMetadata, IfcbApi, IfcbEvent } from '../shared/ipc/contract.ts';
import type { Result } from '../shared/ipc/result.ts';
import type { ErrorInfo } from '../shared/errors.ts';
import { arrangeImages, sortKeyOptions } from '../shared/mosaic/arrange.ts';
import type { ArrangeOptions, SortSpec } from '../shared/mosaic/arrange.ts';
import type { LayoutMode } from '../shared/mosaic/layout.ts';
import { EMPTY_SELECTION, selectedTargets, selectionReducer } from '../shared/mosaic/selection.ts';
import { DEFAULT_PX_PER_UM } from '../shared/mosaic/scale-bar.ts';
import { PixelLoader } from './lib/pixel-loader.ts';
import { applyJobEvent } from './lib/jobs.ts';
import type { JobState } from './lib/jobs.ts';
import { controlOwnsKey, MAX_ZOOM, MIN_ZOOM, stepZoom } from './lib/keys.ts';
import { concentration, count, sig, utc } from './lib/format.ts';
import { useCalibration } from './hooks/use-calibration.ts';
import { usePersistentState } from './hooks/use-persistent-state.ts';
import { Library } from './components/library.tsx';
import { Mosaic } from './components/mosaic.tsx';
import { Inspector } from './components/inspector.tsx';
import { NO_FILTER, Toolbar } from './components/toolbar.tsx';
import type { MosaicFilter } from './components/toolbar.tsx';
import { ScaleBar } from './components/scale-bar.tsx';
import { Splitter } from './components/splitter.tsx';
import { ErrorNote, StatePanel, adviceFor } from './components/error-state.tsx';
import { PathDialog } from './components/open-bin-dialog.tsx';
import { ExportDialog } from './components/export-dialog.tsx';
import { instrumentName } from '../shared/ifcb/bin-id.ts';
import { useLatest } from './hooks/use-latest.ts';
import { useBinStepQueue } from './hooks/use-bin-step-queue.ts';
import { useWindowWidth } from './hooks/use-window-width.ts';
import { INSPECTOR_WIDTH, LIBRARY_WIDTH, paneWidths } from './lib/pane-layout.ts';
import { withOpenBinError, withOpenBinsEntry } from './components/open-bins.tsx';
import { Toast } from './components/toast.tsx';
import type { Notice } from './components/toast.tsx';
import type { OpenBinsEntry } from './components/open-bins.tsx';
import type { OpenedBin } from '../shared/ipc/contract.ts';

const APP_NAME = 'IFCB Viewer';

type View =
  | { kind: 'none' }
  | { kind: 'loading'; binId: string | null }
  | { kind: 'error'; binId: string | null; error: ErrorInfo }
  | { kind: 'ready'; meta: BinMetadata };

type Dialog = null | { kind: 'open-bin' | 'add-folder'; error: ErrorInfo | null } | { kind: 'export' };

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

function arrangeOptions(sort: SortSpec, filter: MosaicFilter, pxPerUm: number): ArrangeOptions {
  const options: ArrangeOptions = { sort, pxPerUm };
  const sizeMin = num(filter.sizeMin);
  const sizeMax = num(filter.sizeMax);
  if (sizeMin !== undefined || sizeMax !== undefined) options.sizeUm = { ...(sizeMin !== undefined ? { min: sizeMin } : {}), ...(sizeMax !== undefined ? { max: sizeMax } : {}) };
  const fMin = num(filter.fieldMin);
  const fMax = num(filter.fieldMax);
  if (filter.field !== '' && (fMin !== undefined || fMax !== undefined)) {
    options.column = { key: filter.field, ...(fMin !== undefined ? { min: fMin } : {}), ...(fMax !== undefined ? { max: fMax } : {}) };
  }
  return options;
}

/** The pixel loader of one bin, reporting read failures to the page. */
function createLoader(api: IfcbApi, meta: BinMetadata, onError: (error: ErrorInfo) => void): PixelLoader {
  const id = meta.bin.id;
  const sizes = new Map<number, number>();
  for (let i = 0; i < meta.rois.count; i++) sizes.set(meta.rois.target[i]!, meta.rois.width[i]! * meta.rois.height[i]!);
  const loader = new PixelLoader((targets) => api.getRoiImages({ binId: id, targets }), (t) => sizes.get(t) ?? 0);
  loader.onError((error) => onError(error));
  return loader;
}

/** The first targets in display order whose tiles fill about one window (before the layout exists). */
function firstScreen(meta: BinMetadata, order: Int32Array, zoom: number): number[] {
  const budget = window.innerWidth * window.innerHeight * 1.2;
  const out: number[] = [];
  let area = 0;
  for (const i of order) {
    out.push(meta.rois.target[i]!);
    area += (meta.rois.width[i]! * zoom + 3) * (meta.rois.height[i]! * zoom + 3);
    if (area > budget) break;
  }
  return out;
}

export function App({ api }: { api: IfcbApi }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [view, setView] = useState<View>({ kind: 'none' });
  const [imageError, setImageError] = useState<ErrorInfo | null>(null);
  const [selection, dispatch] = useReducer(selectionReducer, EMPTY_SELECTION);
  const [basket, setBasket] = useState<ReadonlyMap<string, readonly number[]>>(new Map());
  const [zoom, setZoom] = usePersistentState('zoom', 1);
  const [mode, setMode] = usePersistentState<LayoutMode>('mode', 'true-scale');
  const [sort, setSort] = useState<SortSpec>({ key: 'target' });
  const [filter, setFilter] = useState<MosaicFilter>(NO_FILTER);
  const [filterOpen, setFilterOpen] = useState(false);
  const [libraryWidth, setLibraryWidth] = usePersistentState('library-width', 280);
  const [inspectorWidth, setInspectorWidth] = usePersistentState('inspector-width', 320);
  // null until the user shows or hides the inspector: then it follows the window width (lib/pane-layout.ts).
  const [inspectorShown, setInspectorShown] = usePersistentState<boolean | null>('inspector-shown', null);
  const [inspected, setInspected] = useState<number | null>(null);
  const [jobs, setJobs] = useState<readonly JobState[]>([]);
  const [catalogueVersion, setCatalogueVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [editingScale, setEditingScale] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const dismissNotice = useCallback(() => setNotice(null), []);
  const [pxPerUmByInstrument, setInstrumentPxPerUm] = useCalibration(api, useCallback((e: ErrorInfo) => setNotice({ tone: 'error', text: e.message, code: e.code }), []));
  const [dragging, setDragging] = useState(false);
  const windowWidth = useWindowWidth();
  const [openBins, setOpenBins] = useState<readonly OpenBinsEntry[]>([]);
  const rememberOpened = useCallback((o: OpenedBin) => setOpenBins((l) => withOpenBinsEntry(l, { kind: 'opened', bin: o.bin })), []);
  const openGeneration = useRef(0);

  const meta = view.kind === 'ready' ? view.meta : null;
  const binId = meta?.bin.id ?? (view.kind === 'loading' || view.kind === 'error' ? view.binId : null);
  const pxPerUm = (meta && pxPerUmByInstrument[String(meta.bin.instrument)]) || DEFAULT_PX_PER_UM;
  const pxPerUmByInstrumentRef = useLatest(pxPerUmByInstrument);

  // Selections of other bins live in the basket; the open bin's is the reducer's.
  const selectionRef = useLatest(selection);
  const metaRef = useLatest(meta);
  const basketRef = useLatest(basket);
  const sortRef = useLatest(sort);
  const filterRef = useLatest(filter);
  const zoomRef = useLatest(zoom);

  // One pixel loader per open bin; replaced (and the old one disposed) when a bin opens or re-opens.
  const loaderRef = useRef<{ binId: string; loader: PixelLoader } | null>(null);
  useEffect(() => () => loaderRef.current?.loader[Symbol.dispose](), []);
  // The bin whose metadata is being fetched right now (a second request for it joins that one).
  const loadingBinId = useRef<string | null>(null);

  /**
   * Open a bin, or re-open (reload) the open one: every explicit open reads the bin again, so a bin that was
   * still being written shows its new images and failed tiles get a fresh loader. Only a repeat while the
   * same bin is still loading is skipped.
   */
  const openBinId = useCallback(
    async (id: string) => {
      if (loadingBinId.current === id) return;
      const current = metaRef.current;
      const generation = ++openGeneration.current;
      loadingBinId.current = id;
      const leaving = current ? selectedTargets(selectionRef.current) : null;
      if (current && leaving) {
        const next = new Map(basketRef.current);
        if (leaving.length > 0) next.set(current.bin.id, leaving);
        else next.delete(current.bin.id);
        basketRef.current = next;
        setBasket(next);
      }
      setView({ kind: 'loading', binId: id });
      const result = await api.getBinMetadata({ binId: id });
      if (generation !== openGeneration.current) return;
      loadingBinId.current = null;
      setImageError(null);
      setInspected(null);
      if (!result.ok) {
        setOpenBins((l) => withOpenBinError(l, id, result.error));
        dispatch({ type: 'reset' });
        loaderRef.current?.loader[Symbol.dispose]();
        loaderRef.current = null;
        setView({ kind: 'error', binId: id, error: result.error });
        return;
      }
      // A re-open keeps the selection: it went to the basket above.
      dispatch({ type: 'reset', selected: basketRef.current.get(id) ?? [] });
      loaderRef.current?.loader[Symbol.dispose]();
      loaderRef.current = null;
      const opened = result.value;
      if (opened.bin.hasRoiFile && opened.rois.count > 0) {
        const created = createLoader(api, opened, setImageError);
        loaderRef.current = { binId: id, loader: created };
        // Ask for the first screen now: the request overlaps React's first render of the mosaic.
        const scale = pxPerUmByInstrumentRef.current[String(opened.bin.instrument)] || DEFAULT_PX_PER_UM;
        created.want(firstScreen(opened, arrangeImages(opened.rois, arrangeOptions(sortRef.current, filterRef.current, scale)), zoomRef.current));
      }
      setView({ kind: 'ready', meta: opened });
    },
    [api],
  );

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
      if (r.ok) r.value.opened.forEach(rememberOpened);
      // Launch paths that could not be opened stay listed in Open bins with their error.
      if (r.ok) for (const { name, code, message } of r.value.rejected) setOpenBins((l) => withOpenBinsEntry(l, { kind: 'failed', name, error: { code, message } }));
      const last = r.ok ? r.value.opened[r.value.opened.length - 1] : undefined;
      if (last) void openBinId(last.bin.id);
    });
    return () => {
      live = false;
    };
  }, [api, appInfo, openBinId, rememberOpened]);

  // Menu commands act on the state of the moment they arrive: the handlers are read through refs.
  const openExportRef = useRef<() => void>(() => undefined);
  const showLibraryRef = useRef<() => void>(() => undefined);
  useEffect(
    () =>
      api.onEvent((event: IfcbEvent) => {
        setJobs((j) => applyJobEvent(j, event));
        if (event.type === 'bin-opened') {
          rememberOpened(event);
          void openBinId(event.bin.id);
        }
        else if (event.type === 'catalogue-changed') setCatalogueVersion((v) => v + 1);
        else if (event.type === 'job-finished' && event.kind === 'reindex') setCatalogueVersion((v) => v + 1);
        else if (event.type === 'menu-command' && event.command === 'export-selection') openExportRef.current();
        else if (event.type === 'menu-command' && event.command === 'show-library') showLibraryRef.current();
        if (event.type === 'job-finished' && event.outcome === 'failed' && event.error) {
          setNotice({ tone: 'error', text: event.error.message, code: event.error.code });
        } else if (event.type === 'job-finished' && event.summary) {
          setNotice({ tone: 'info', text: event.summary });
        }
      }),
    [api, openBinId, rememberOpened],
  );

  useEffect(() => {
    document.title = binId ? `${binId} — ${APP_NAME}` : APP_NAME;
  }, [binId]);

  const loader = loaderRef.current && loaderRef.current.binId === meta?.bin.id ? loaderRef.current.loader : null;

  const order = useMemo(() => (meta ? arrangeImages(meta.rois, arrangeOptions(sort, filter, pxPerUm)) : new Int32Array(0)), [meta, sort, filter, pxPerUm]);
  const indexOfTarget = useMemo(() => {
    const m = new Map<number, number>();
    if (meta) for (let i = 0; i < meta.rois.count; i++) m.set(meta.rois.target[i]!, i);
    return m;
  }, [meta]);
  const sortOptions = useMemo(() => sortKeyOptions(meta?.rois ?? {}), [meta]);

  // The inspector follows the keyboard/mouse focus unless Enter pinned a tile.
  const inspectTarget = inspected ?? selection.focus;
  const roiIndex = inspectTarget === null ? -1 : (indexOfTarget.get(inspectTarget) ?? -1);
  useEffect(() => setInspected(null), [selection.focus]);

  const basketCounts = useMemo(() => {
    let images = selection.selected.size;
    let bins = images > 0 ? 1 : 0;
    for (const [id, targets] of basket) {
      if (id === meta?.bin.id) continue;
      images += targets.length;
      bins += 1;
    }
    return { images, bins };
  }, [basket, selection, meta]);

  const exportItems = useMemo(() => {
    const items: { binId: string; targets: number[] }[] = [];
    for (const [id, targets] of basket) if (id !== meta?.bin.id && targets.length > 0) items.push({ binId: id, targets: [...targets] });
    if (meta && selection.selected.size > 0) items.push({ binId: meta.bin.id, targets: selectedTargets(selection) });
    return items.sort((a, b) => a.binId.localeCompare(b.binId));
  }, [basket, selection, meta]);

  const openExport = useCallback(() => {
    if (exportItems.length > 0) setDialog({ kind: 'export' });
  }, [exportItems.length]);
  openExportRef.current = openExport;

  // View › Library (and after File › Add Folder): bring the library into view and put the cursor in its search.
  const showLibrary = useCallback(() => {
    setLibraryWidth((w) => Math.max(LIBRARY_WIDTH.min, w));
    const search = document.querySelector<HTMLElement>('.library input[type="search"]');
    if (search) search.focus();
    else document.querySelector<HTMLElement>('.library')?.focus();
  }, [setLibraryWidth]);
  showLibraryRef.current = showLibrary;

  // Native dialogs or the path field, by what main offers (known once app info has arrived).
  const openFile = useCallback(async () => {
    const offered = await appInfo();
    if (!offered.ok) return setNotice({ tone: 'error', text: offered.error.message, code: offered.error.code });
    if (offered.value.features.pathInput) return setDialog({ kind: 'open-bin', error: null });
    const r = await api.showOpenBinDialog({});
    if (r.ok && r.value.opened) {
      rememberOpened(r.value.opened);
      void openBinId(r.value.opened.bin.id);
    } else if (!r.ok) setView({ kind: 'error', binId: null, error: r.error });
  }, [api, appInfo, openBinId, rememberOpened]);

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
      if (r.value.opened) {
        rememberOpened(r.value.opened);
        void openBinId(r.value.opened.bin.id);
      }
    } else {
      const r = await api.showAddFolderDialog({ path });
      if (!r.ok) return setDialog({ kind, error: r.error });
      setDialog(null);
      // main is already indexing it
      if (r.value.root) setCatalogueVersion((v) => v + 1);
    }
  };

  const binSteps = useBinStepQueue(api, (id) => void openBinId(id));
  const stepBin = useCallback(
    (direction: 'previous' | 'next') => {
      // The bin being opened counts as open: a press right after a step must not start again from the old one.
      const from = loadingBinId.current ?? binId;
      if (from && info?.features.catalogue) binSteps.press(from, direction);
    },
    [binSteps, binId, info],
  );

  // Drag and drop: bin files open, folders join the library. Paths come from the preload (Electron only).
  const onDrop = async (e: ReactDragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    const paths = files.map((f) => api.pathForFile?.(f) ?? '').filter((p) => p !== '');
    if (paths.length === 0) {
      setNotice({ tone: 'error', text: 'Dropped files can only be opened in the desktop app; use “Open bin…” here.', code: 'INVALID_ARGUMENT' });
      return;
    }
    const r = await api.openDropped({ paths: paths.slice(0, 256) });
    if (!r.ok) {
      setNotice({ tone: 'error', text: r.error.message, code: r.error.code });
      return;
    }
    r.value.opened.forEach(rememberOpened);
    const last = r.value.opened[r.value.opened.length - 1];
    if (last) void openBinId(last.bin.id);
    // Dropped folders are being indexed by main already; list them now.
    if (r.value.roots.length > 0) setCatalogueVersion((v) => v + 1);
    const rejected = r.value.rejected[0];
    if (rejected) setNotice({ tone: 'error', text: `${rejected.name}: ${rejected.message}`, code: rejected.code });
  };

  // Focus moves into a dialog when it opens (so Escape and Tab act there), and back to the mosaic after.
  const dialogKind = dialog?.kind ?? null;
  useEffect(() => {
    if (dialogKind === null) {
      document.querySelector<HTMLElement>('.mosaic-scroll')?.focus({ preventScroll: true });
      return;
    }
    const modal = document.querySelector<HTMLElement>('[role="dialog"]');
    if (modal && !modal.contains(document.activeElement)) {
      modal.querySelector<HTMLElement>('input:not([disabled]), select, button:not([disabled])')?.focus();
    }
  }, [dialogKind]);

  const changeZoom = useCallback((z: number) => setZoom(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z))), [setZoom]);

  // App-wide shortcuts (the mosaic handles navigation and selection keys itself). Registered in a layout
  // effect so a key pressed right after a bin opens already acts on that bin.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog || controlOwnsKey(e)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === 'e' || e.key === 'E')) {
        e.preventDefault();
        openExport();
      } else if (mod && (e.key === 'o' || e.key === 'O')) {
        e.preventDefault();
        void openFile();
      } else if (mod || e.altKey) {
        return;
      } else if (e.key === '+' || e.key === '=') {
        changeZoom(stepZoom(zoom, 1));
      } else if (e.key === '-' || e.key === '−' || e.key === '_') {
        changeZoom(stepZoom(zoom, -1));
      } else if (e.key === '0') {
        changeZoom(1);
      } else if (e.key === '[') {
        stepBin('previous');
      } else if (e.key === ']') {
        stepBin('next');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, openExport, openFile, changeZoom, zoom, stepBin]);

  const activate = useCallback(
    (target: number) => {
      setInspected(target);
      setInspectorShown(true);
    },
    [setInspectorShown],
  );

  const total = meta?.rois.count ?? 0;
  const canMosaic = !!meta && meta.bin.hasRoiFile && total > 0;
  const shown = canMosaic ? order.length : 0;
  const runningJobs = jobs.filter((j) => !j.finished);
  const panes = paneWidths(windowWidth, { library: libraryWidth, inspector: inspectorWidth, inspectorShown });
  const inspectorHidden = panes.inspector === null;

  let centre: ReactNode;
  if (view.kind === 'none') {
    centre = (
      <StatePanel
        tone="info"
        title="No bin open"
        actions={
          <button type="button" className="btn btn-primary" onClick={() => void openFile()}>
            Open bin…
          </button>
        }
      >
        <p>Pick a bin in the library, or open a .roi, .adc or .hdr file (Ctrl/⌘+O).</p>
        <p className="muted">Arrows move, Shift extends, Space toggles, Ctrl/⌘+A selects all, + / − / 0 zoom, [ and ] step through bins.</p>
      </StatePanel>
    );
  } else if (view.kind === 'loading') {
    centre = (
      <div className="state-panel state-loading" role="status">
        <div className="spinner" aria-hidden="true" />
        <div>Opening {view.binId ?? 'bin'}…</div>
      </div>
    );
  } else if (view.kind === 'error') {
    centre = (
      <StatePanel tone="error" title={view.binId ? `Could not open ${view.binId}` : 'Could not open the bin'} code={view.error.code}>
        <p>{view.error.message}</p>
        <p className="muted">{adviceFor(view.error.code)}</p>
      </StatePanel>
    );
  } else if (!view.meta.bin.hasRoiFile) {
    centre = (
      <StatePanel tone="error" title={`The .roi file of ${view.meta.bin.id} is missing`} code="FILE_MISSING">
        <p>Images cannot be shown; its metadata ({count(view.meta.bin.adcRows)} ADC rows, {count(view.meta.bin.imageCount)} images listed) is in the inspector.</p>
        <p className="muted">If the instrument is still writing this bin, re-open it when it is complete.</p>
      </StatePanel>
    );
  } else if (total === 0) {
    centre = (
      <StatePanel tone="empty" title={`${view.meta.bin.id} has no images`}>
        <p>{view.meta.bin.adcRows === 0 ? 'The .adc file has no rows: no targets were recorded in this bin.' : `None of its ${count(view.meta.bin.adcRows)} triggers produced an image.`}</p>
      </StatePanel>
    );
  } else if (shown === 0) {
    centre = (
      <StatePanel
        tone="empty"
        title="No images match the filter"
        actions={
          <button type="button" className="btn" onClick={() => setFilter(NO_FILTER)}>
            Clear the filter
          </button>
        }
      >
        <p>{count(total)} images are hidden by the filter.</p>
      </StatePanel>
    );
  } else if (!loader) {
    centre = <div className="state-panel state-loading" role="status" />;
  } else {
    centre = (
      <div className="mosaic-wrap">
        {imageError && (
          <div className="mosaic-banner">
            <ErrorNote error={{ ...imageError, message: `Images of ${view.meta.bin.id} could not be read: ${imageError.message}` }} onDismiss={() => setImageError(null)} />
          </div>
        )}
        <Mosaic
          key={view.meta.bin.id}
          table={view.meta.rois}
          order={order}
          zoom={zoom}
          mode={mode}
          pxPerUm={pxPerUm}
          loader={loader}
          selection={selection}
          dispatch={dispatch}
          onActivate={activate}
          keyboardActive={dialog === null}
        />
        {mode === 'true-scale' && <ScaleBar zoom={zoom} pxPerUm={pxPerUm} />}
      </div>
    );
  }

  const gridColumns = `${panes.library}px 1px minmax(0, 1fr)${panes.inspector === null ? '' : ` 1px ${panes.inspector}px`}`;
  return (
    <div
      className={dragging ? 'app is-dragging' : 'app'}
      // Open actions work once main has said what it offers (tests wait for this).
      data-ready={info ? 'true' : 'false'}
      style={{ gridTemplateColumns: gridColumns }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!dragging) setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null) setDragging(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      <Library
        api={api}
        info={info}
        activeBinId={binId}
        onOpenBin={(id) => void openBinId(id)}
        onOpenFile={() => void openFile()}
        onAddFolder={() => void addFolder()}
        catalogueVersion={catalogueVersion}
        jobs={jobs}
        openBins={openBins}
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
          filter={filter}
          onFilter={setFilter}
          filterOpen={filterOpen}
          onFilterOpen={setFilterOpen}
          selected={selection.selected.size}
          basket={basketCounts}
          onClearBasket={() => {
            setBasket(new Map());
            dispatch({ type: 'none' });
          }}
          onExport={openExport}
          disabled={!canMosaic}
          inspectorHidden={inspectorHidden}
          onShowInspector={() => setInspectorShown(true)}
        />
        <div className="centre-body">
          {centre}
          {notice && <Toast notice={notice} onDismiss={dismissNotice} />}
          {dragging && <div className="drop-target">Drop .roi/.adc/.hdr files to open them, or folders to add them to the library</div>}
        </div>
        <footer className="status-bar" aria-label="Status">
          {meta ? (
            <>
              <span className="status-item status-bin" data-testid="status-bin">
                {meta.bin.id}
              </span>
              {/* timestamp and instrument repeat what the bin id says, so they give way first on narrow windows */}
              <span className="status-item is-optional">{utc(meta.bin.timestamp)}</span>
              <span className="status-item is-optional">{instrumentName(meta.bin.schema, meta.bin.instrument)}</span>
              <span className="status-item num" data-testid="status-images">
                {count(shown)} / {count(total)} images
              </span>
              <span className="status-item num" title="Volume analyzed">
                {meta.bin.mlAnalyzed === null ? '— mL' : `${sig(meta.bin.mlAnalyzed)} mL`}
              </span>
              <span className="status-item num" title="Concentration">
                {sig(concentration(meta.bin.imageCount, meta.bin.mlAnalyzed))} images/mL
              </span>
            </>
          ) : (
            <span className="status-item muted">{view.kind === 'loading' ? 'Opening…' : 'No bin open'}</span>
          )}
          <span className="status-spacer" />
          {runningJobs.map((j) => (
            <span key={j.jobId} className="status-item status-job">
              {j.kind === 'reindex' ? 'Indexing' : 'Exporting'} {j.total > 0 ? `${Math.round((100 * j.done) / j.total)} %` : '…'}
              <span className="mini-track">
                <span className="mini-fill" style={{ width: j.total > 0 ? `${(100 * j.done) / j.total}%` : '30%' }} />
              </span>
            </span>
          ))}
          {meta &&
            (editingScale ? (
              <input
                className="input input-num status-input"
                type="number"
                step="0.01"
                min="0.1"
                aria-label="Camera pixels per µm for this instrument"
                autoFocus
                defaultValue={pxPerUm}
                onBlur={(e) => {
                  const v = Number(e.target.value);
                  if (v > 0 && Number.isFinite(v)) setInstrumentPxPerUm(meta.bin.instrument, v);
                  setEditingScale(false);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === 'Escape') (e.target as HTMLInputElement).blur();
                }}
              />
            ) : (
              <button type="button" className="status-item status-button num" title="Calibration of this instrument (click to change)" onClick={() => setEditingScale(true)}>
                {pxPerUm} px/µm
              </button>
            ))}
          <span className="status-item num" data-testid="status-zoom">
            {Math.round(zoom * 100)} %
          </span>
        </footer>
      </main>
      {panes.inspector !== null && <Splitter width={panes.inspector} onWidth={setInspectorWidth} min={INSPECTOR_WIDTH.min} max={INSPECTOR_WIDTH.max} side="right" label="Resize the inspector" />}
      {!inspectorHidden && <Inspector metadata={meta} roiIndex={roiIndex} loader={loader} pxPerUm={pxPerUm} onCollapse={() => setInspectorShown(false)} api={api} />}
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
    </div>
  );
}
