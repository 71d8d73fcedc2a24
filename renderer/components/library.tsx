/**
 * The library pane: the bins opened outside the library, the catalogue's roots and what they could not
 * index, bins newest first grouped by day (a listbox: arrows move, Enter opens, the open bin is kept in
 * view), search by any part of the id, a time span to the second, the concentration chart (of every image, or of one
 * class), each folder's results folders (classifier results, features…), and indexing progress.
 * Several bins can be selected as in a file manager (Ctrl/⌘+click or +Space, Shift+click or +arrows; Escape clears)
 * and shown as one mosaic.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AppInfo, BinsFilter, CatalogueBin, IfcbApi, LibraryProblems, ResponseOf, Root, TimeSeriesRequest } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { ConcentrationChart, classPoints, totalPoints } from './concentration-chart.tsx';
import type { ChartPoint } from './concentration-chart.tsx';
import { PathDialog } from './open-bin-dialog.tsx';
import { QC_LABELS, count, day, dayHeading, plural, sig, timeOfDay } from '../lib/format.ts';
import type { JobState } from '../lib/jobs.ts';
import { ErrorNote } from './error-state.tsx';
import { instrumentName } from '../../shared/ifcb/bin-id.ts';
import type { RangeRequest } from '../hooks/use-view.ts';
import { NO_SPAN, brushSpan, fromDateTimeField, searchFilter, spanFilter, toDateTimeField } from '../lib/library-filter.ts';
import type { TimeSpan } from '../lib/library-filter.ts';
import { OpenBins } from './open-bins.tsx';
import type { OpenBinsEntry } from './open-bins.tsx';
import { NotIndexed } from './not-indexed.tsx';
import { NO_SELECTION, anchorAt, extendTo, selectedInTimeOrder, toggleBin } from '../lib/bin-selection.ts';

// What the pane hands over for one mosaic of several bins (the view owns the type; re-exported for test harnesses).
export type { RangeRequest };

export interface LibraryProps {
  api: IfcbApi;
  info: AppInfo | null;
  activeBinId: string | null;
  onOpenBin: (binId: string) => void;
  onOpenFile: () => void;
  onAddFolder: () => void;
  /** Bumped when the catalogue changed (an index finished, a root was added). */
  catalogueVersion: number;
  /** Moves when labels changed (a key press, undo, an import): the class chart and its picker are asked again. */
  labelsVersion?: number;
  /** File › Import labels… and Export labels… (absent: no buttons). */
  onImportLabels?: () => void;
  onExportLabels?: () => void;
  jobs: readonly JobState[];
  /** Bins opened outside the library (launch, OS, dialog, drop), and files that failed to open, with their error. */
  openBins: readonly OpenBinsEntry[];
  /**
   * Show several bins as one mosaic: a day (its header), what the list shows (a brushed span, a search), or the bins
   * selected in the list. Absent: the list offers no multi-bin mosaic.
   */
  onOpenRange?: (range: RangeRequest) => void;
}

type Item = { kind: 'day'; key: string; label: string; bins: number } | { kind: 'bin'; key: string; bin: CatalogueBin };

const PAGE = 500;
const DAY_ROW = 26;
const BIN_ROW = 44;

function buildFilter(parsed: Pick<BinsFilter, 'search' | 'instrument'>, instrument: string, span: TimeSpan): BinsFilter {
  const f: BinsFilter = { ...parsed, ...spanFilter(span) };
  if (instrument !== '' && f.instrument === undefined) f.instrument = Number(instrument);
  return f;
}

const optionId = (binId: string) => `bin-option-${binId}`;

/**
 * One end of the time span, typed as `YYYY-MM-DD hh:mm:ss` UTC (or less: a day, a minute). The text is the
 * user's while they type; the span changes once it reads as a time (or is emptied), and a brush replaces it.
 */
function TimeField({ id, end, value, onValue }: { id: string; end: 'from' | 'to'; value: number | null; onValue: (ms: number | null) => void }) {
  const [text, setText] = useState(() => toDateTimeField(value));
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    // Set from outside (a brush, Clear): show it whole.
    setShown(value);
    setText(toDateTimeField(value));
  }
  const parsed = fromDateTimeField(text, end);
  const invalid = text.trim() !== '' && parsed === null;
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      className={invalid ? 'input input-time is-invalid' : 'input input-time'}
      aria-label={end === 'from' ? 'From (UTC)' : 'To (UTC)'}
      aria-invalid={invalid}
      placeholder="YYYY-MM-DD hh:mm:ss"
      title={`${end === 'from' ? 'From' : 'To'} (UTC), this second included: YYYY-MM-DD hh:mm:ss, or a day`}
      spellCheck={false}
      value={text}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const ms = next.trim() === '' ? null : fromDateTimeField(next, end);
        if (next.trim() === '' || ms !== null) {
          setShown(ms);
          onValue(ms);
        }
      }}
      onBlur={() => setText(toDateTimeField(shown))}
    />
  );
}

/** The first bin row at or after `from` going by `step`, if any. */
function nearestBin(items: readonly Item[], from: number, step: 1 | -1): number | undefined {
  for (let i = from; i >= 0 && i < items.length; i += step) if (items[i]!.kind === 'bin') return i;
  return undefined;
}

/** A brushed or typed span as a mosaic's title; null when the span is open at both ends. */
function spanLabel(span: TimeSpan): string | null {
  if (span.from === null && span.to === null) return null;
  return `${toDateTimeField(span.from) || '…'} – ${toDateTimeField(span.to) || '…'}`;
}

/** The last two folders of a path (the full path is the tooltip). */
function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length <= 2 ? p : `…/${parts.slice(-2).join('/')}`;
}

type ResultsFolders = ResponseOf<'results:list'>;

/** The classes the chart can plot: counted in some bin, or known to the library (labels, class lists); by name. */
function useChartClasses(api: IfcbApi, enabled: boolean, version: string): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void Promise.all([api.listCountedClasses(), api.listClasses()]).then(([counted, known]) => {
      if (!live) return;
      const all = new Set([...(counted.ok ? counted.value.classes.map((c) => c.name) : []), ...(known.ok ? known.value.classes.map((c) => c.name) : [])]);
      setNames([...all].sort((a, b) => a.localeCompare(b)));
    });
    return () => {
      live = false;
    };
  }, [api, enabled, version]);
  return names;
}

/** One class's concentration over the list's span and instrument (`bins:time-series` with `class`); null while asked or with no class. `request` is memoised by its content. */
function useClassSeries(api: IfcbApi, request: TimeSeriesRequest | null, version: string): { points: ChartPoint[] | null; error: ErrorInfo | null } {
  const [state, setState] = useState<{ key: string; points: ChartPoint[] | null; error: ErrorInfo | null }>({ key: '', points: null, error: null });
  const key = request === null ? '' : `${JSON.stringify(request)}|${version}`;
  useEffect(() => {
    if (request === null) return;
    let live = true;
    void api.getTimeSeries(request).then((r) => {
      if (live) setState({ key, points: r.ok ? classPoints(r.value) : null, error: r.ok ? null : r.error });
    });
    return () => {
      live = false;
    };
  }, [api, request, key]);
  return state.key === key ? state : { points: null, error: null };
}

export function Library(props: LibraryProps) {
  const { api, info, activeBinId, onOpenBin, onOpenRange, catalogueVersion, jobs, openBins } = props;
  const [roots, setRoots] = useState<Root[]>([]);
  const [bins, setBins] = useState<CatalogueBin[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [search, setSearch] = useState('');
  const [span, setSpan] = useState<TimeSpan>(NO_SPAN);
  const [problems, setProblems] = useState<LibraryProblems['problems']>([]);
  /** The keyboard cursor in the list (a bin id); Enter opens it. */
  const [cursor, setCursor] = useState<string | null>(null);
  const [instrument, setInstrument] = useState<string>('');
  const [instruments, setInstruments] = useState<number[]>([]);
  const [selection, setSelection] = useState(NO_SELECTION);
  const generation = useRef(0);
  const catalogue = info?.features.catalogue ?? false;
  // '' plots every image; a class name plots that class (bins:time-series with `class`)
  const [plotClass, setPlotClass] = useState('');
  const [results, setResults] = useState<ReadonlyMap<number, ResultsFolders>>(new Map());
  const [resultsDialog, setResultsDialog] = useState<{ rootId: number; error: ErrorInfo | null } | null>(null);
  const [resultsNote, setResultsNote] = useState<{ rootId: number; text: string } | null>(null);
  // a results folder brings classifier results: the chart's classes are asked again then too
  const [resultsAdded, setResultsAdded] = useState(0);
  const labelsVersion = `${catalogueVersion}.${props.labelsVersion ?? 0}.${resultsAdded}`;
  const chartClasses = useChartClasses(api, catalogue, labelsVersion);

  const parsed = searchFilter(search);
  // A string key keeps the filter object stable while its content is unchanged.
  const filterJson = parsed === 'invalid' ? null : JSON.stringify(buildFilter(parsed, instrument, span));
  const filter = useMemo(() => (filterJson === null ? null : (JSON.parse(filterJson) as BinsFilter)), [filterJson]);
  // A new filter lists other bins: a selection the user can no longer see is dropped rather than acted on.
  const [selectionFilter, setSelectionFilter] = useState(filterJson);
  if (selectionFilter !== filterJson) {
    setSelectionFilter(filterJson);
    setSelection(NO_SELECTION);
  }

  const loadPage = useCallback(
    async (after: string | undefined, reset: boolean) => {
      if (!catalogue || !filter) return;
      const gen = reset ? ++generation.current : generation.current;
      setLoading(true);
      const result = await api.listBins({ filter, page: { limit: PAGE, order: 'desc', ...(after ? { after } : {}) } });
      if (gen !== generation.current) return;
      setLoading(false);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      setBins((old) => (reset ? result.value.bins : [...old, ...result.value.bins]));
      setNext(result.value.next);
      setInstruments((old) => {
        const s = new Set(old);
        for (const b of result.value.bins) s.add(b.instrument);
        return s.size === old.length ? old : [...s].sort((x, y) => x - y);
      });
    },
    [api, catalogue, filter],
  );

  useEffect(() => {
    void loadPage(undefined, true);
  }, [loadPage, catalogueVersion]);

  useEffect(() => {
    if (!catalogue) return;
    void api.listRoots().then(async (r) => {
      if (!r.ok) return;
      setRoots(r.value.roots);
      // each folder's results folders, with the product files the library found in them
      const lists = await Promise.all(r.value.roots.map(async (root) => [root.id, await api.listResultsFolders({ rootId: root.id })] as const));
      setResults(new Map(lists.flatMap(([id, l]) => (l.ok ? [[id, l.value] as const] : []))));
    });
    // Every file of every folder the library does not show as a usable bin, with its reason.
    void api.listProblems({}).then((r) => {
      if (r.ok) setProblems(r.value.problems);
    });
  }, [api, catalogue, catalogueVersion]);

  const items: Item[] = useMemo(() => {
    const out: Item[] = [];
    let current = '';
    let header: Extract<Item, { kind: 'day' }> | null = null;
    for (const bin of bins) {
      const d = day(bin.timestamp);
      if (d !== current) {
        current = d;
        header = { kind: 'day', key: `day:${d}`, label: dayHeading(bin.timestamp), bins: 0 };
        out.push(header);
      }
      header!.bins++;
      out.push({ kind: 'bin', key: bin.id, bin });
    }
    return out;
  }, [bins]);

  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => listRef.current,
    estimateSize: (i) => (items[i]!.kind === 'day' ? DAY_ROW : BIN_ROW),
    getItemKey: (i) => items[i]!.key,
    overscan: 8,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length > 0 ? virtualItems[virtualItems.length - 1]!.index : -1;
  useEffect(() => {
    if (next && !loading && lastIndex >= items.length - 20) void loadPage(next, false);
  }, [lastIndex, items.length, next, loading, loadPage]);

  const binIndex = useMemo(() => {
    const m = new Map<string, number>();
    items.forEach((item, i) => item.kind === 'bin' && m.set(item.bin.id, i));
    return m;
  }, [items]);
  const binOrder = useMemo(() => bins.map((b) => b.id), [bins]);
  const selectedBins = useMemo(() => selectedInTimeOrder(bins, selection.selected), [bins, selection]);

  // The open bin (opened here, from the chart, by [ / ] or by the OS) is the cursor and is kept in view.
  const activeIndex = activeBinId === null ? undefined : binIndex.get(activeBinId);
  useEffect(() => {
    if (activeBinId === null) return;
    setCursor(activeBinId);
    if (activeIndex !== undefined) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeBinId, activeIndex, virtualizer]);

  /** Moves the cursor; with `extend` (Shift) the selection runs from the anchor to where it lands. */
  const moveCursor = (target: number, step: 1 | -1, extend: boolean) => {
    const start = Math.max(0, Math.min(items.length - 1, target));
    // Day headers are not stops: go on in the direction of travel, or back where the list ends.
    const i = nearestBin(items, start, step) ?? nearestBin(items, start, step === 1 ? -1 : 1);
    if (i === undefined) return;
    const id = (items[i] as Extract<Item, { kind: 'bin' }>).bin.id;
    setCursor(id);
    setSelection((sel) => (extend ? extendTo(sel, binOrder, id, cursor) : anchorAt(sel, id)));
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onListKey = (e: ReactKeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === ' ' && onOpenRange && cursor !== null) {
      // Ctrl/⌘+Space: the keyboard's Ctrl+click on the cursor's bin.
      setSelection((sel) => toggleBin(sel, cursor));
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey || items.length === 0) return;
    if (e.key === 'Escape') {
      // Escape clears a selection; with none, it is not the list's key (dialogs, the mosaic may want it).
      if (selection.selected.size === 0) return;
      setSelection(NO_SELECTION);
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    // Shift+arrows select only where the selection can be used (a pane given onOpenRange).
    const shift = e.shiftKey && onOpenRange !== undefined;
    const at = cursor === null ? undefined : binIndex.get(cursor);
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? BIN_ROW) / BIN_ROW) - 1);
    if (e.key === 'ArrowDown') moveCursor(at === undefined ? 0 : at + 1, 1, shift);
    else if (e.key === 'ArrowUp') moveCursor(at === undefined ? 0 : at - 1, -1, shift);
    else if (e.key === 'PageDown') moveCursor((at ?? 0) + page, 1, shift);
    else if (e.key === 'PageUp') moveCursor((at ?? 0) - page, -1, shift);
    else if (e.key === 'Home') moveCursor(0, 1, shift);
    else if (e.key === 'End') moveCursor(items.length - 1, -1, shift);
    else if (e.key === 'Enter' || e.key === ' ') {
      if (cursor !== null) onOpenBin(cursor);
    } else return;
    // The list owns these keys while it has focus: the mosaic's arrows and Space must not act too.
    e.preventDefault();
    e.stopPropagation();
  };

  const indexing = jobs.filter((j) => j.kind === 'reindex' && !j.finished);

  const removeRoot = async (rootId: number) => {
    const r = await api.removeRoot({ rootId });
    if (!r.ok) setError(r.error);
  };

  /** Add a results folder to a root: the native folder dialog, or (dev bridge) a typed path. */
  const addResultsFolder = async (rootId: number, path?: string) => {
    if (path === undefined && info?.features.pathInput) return setResultsDialog({ rootId, error: null });
    const r = await api.showAddResultsFolderDialog(path === undefined ? { rootId } : { rootId, path });
    if (!r.ok) {
      if (path !== undefined) setResultsDialog({ rootId, error: r.error });
      else setError(r.error);
      return;
    }
    setResultsDialog(null);
    if (r.value.folder === null) return;
    setResultsAdded((n) => n + 1);
    setResultsNote({ rootId, text: `${count(r.value.products)} product ${r.value.products === 1 ? 'file' : 'files'} found for this folder’s bins` });
    const listed = await api.listResultsFolders({ rootId });
    if (listed.ok) setResults((old) => new Map(old).set(rootId, listed.value));
  };

  // the chart: every listed bin, or one class over the list's span and instrument
  const seriesRequest = useMemo((): TimeSeriesRequest | null => {
    if (plotClass === '' || !filter) return null;
    return {
      class: plotClass,
      ...(filter.from === undefined ? {} : { from: filter.from }),
      ...(filter.to === undefined ? {} : { to: filter.to }),
      ...(filter.instrument === undefined ? {} : { instrument: filter.instrument }),
    };
  }, [plotClass, filter]);
  const classSeries = useClassSeries(api, seriesRequest, labelsVersion);
  const chartPoints = useMemo(() => (plotClass === '' ? totalPoints(bins) : (classSeries.points ?? [])), [plotClass, bins, classSeries.points]);

  const reindex = async (rootId?: number) => {
    const r = await api.reindex(rootId === undefined ? {} : { rootIds: [rootId] });
    if (!r.ok) setError(r.error);
  };

  return (
    <aside className="library" aria-label="Library" tabIndex={-1}>
      <header className="pane-header">
        <h2>Library</h2>
        <div className="pane-actions">
          <button type="button" className="btn btn-small" onClick={props.onOpenFile} title="Open a bin file (Ctrl/⌘+O)">
            Open bin…
          </button>
          {catalogue && (
            <button type="button" className="btn btn-small" onClick={props.onAddFolder} title="Add a folder of bins to the library">
              Add folder…
            </button>
          )}
        </div>
      </header>

      <OpenBins entries={openBins} activeBinId={activeBinId} onOpenBin={onOpenBin} />
      {!catalogue ? (
        <div className="library-empty">
          <p>The library is not available in this session.</p>
          <p className="muted">Open a bin file with “Open bin…” (Ctrl/⌘+O).</p>
        </div>
      ) : (
        <>
          {roots.length > 0 && (
            <ul className="roots" aria-label="Folders in the library">
              {roots.map((root) => (
                <li key={root.id} className="root" title={root.path}>
                  <span className="root-path">{shortPath(root.path)}</span>
                  {root.demo && <span className="badge badge-info" title="Synthetic bins drawn by the viewer, not measurements">Demo</span>}
                  {root.demo && (
                    <button type="button" className="btn-icon" title="Remove the demo from the library" aria-label="Remove the demo library" onClick={() => void removeRoot(root.id)}>
                      ×
                    </button>
                  )}
                  <span className="root-count num">{plural(root.binCount, 'bin')}</span>
                  <button type="button" className="btn-icon" title="Re-index this folder" aria-label={`Re-index ${root.path}`} onClick={() => void reindex(root.id)}>
                    ↻
                  </button>
                  <button
                    type="button"
                    className="btn-icon"
                    title="Add a results folder: classifier results, features, blobs or manual labels for this folder’s bins"
                    aria-label={`Add a results folder for ${root.path}`}
                    onClick={() => void addResultsFolder(root.id)}
                  >
                    +
                  </button>
                  {(results.get(root.id)?.folders.length ?? 0) > 0 && (
                    <ul className="results-folders" aria-label={`Results folders of ${root.path}`}>
                      {results.get(root.id)!.folders.map((f) => (
                        <li key={f.path} className="results-folder" title={f.path} data-products={f.products}>
                          <span className="results-folder-path">{shortPath(f.path)}</span>
                          <span className="root-count num">
                            {plural(f.products, 'product')}
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                  {resultsNote?.rootId === root.id && (
                    <p className="results-note" role="status">
                      {resultsNote.text}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )}
          <NotIndexed problems={problems} roots={roots} />
          {indexing.map((job) => (
            <div key={job.jobId} className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
              <div className="progress-label">
                Indexing… {count(job.done)}
                {job.total > 0 ? ` / ${count(job.total)}` : ''} {job.message ?? ''}
              </div>
              <div className="progress-track">
                <div className="progress-fill" style={{ width: job.total > 0 ? `${(100 * job.done) / job.total}%` : '30%' }} />
              </div>
            </div>
          ))}

          <div className="library-search">
            <input
              type="search"
              className={parsed === 'invalid' ? 'input is-invalid' : 'input'}
              placeholder="Search id or IFCB###"
              aria-label="Search bins by id or instrument"
              title="Any part of a bin id or instrument name (T12, 901, 20240501, IFCB13); #13 is instrument 13 alone"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <div className="library-filters">
              <select className="input" aria-label="Instrument" value={instrument} onChange={(e) => setInstrument(e.target.value)}>
                <option value="">All instruments</option>
                {instruments.map((n) => (
                  <option key={n} value={String(n)}>
                    IFCB{String(n).padStart(3, '0')}
                  </option>
                ))}
              </select>
            </div>
            <div className="library-span" role="group" aria-label="Time span (UTC)">
              <label htmlFor="library-from">From</label>
              <TimeField id="library-from" end="from" value={span.from} onValue={(from) => setSpan((old) => ({ ...old, from }))} />
              {span.from !== null || span.to !== null ? (
                <button type="button" className="btn-icon" aria-label="Clear the time span" title="Clear the time span" onClick={() => setSpan(NO_SPAN)}>
                  ×
                </button>
              ) : (
                <span />
              )}
              <label htmlFor="library-to">To</label>
              <TimeField id="library-to" end="to" value={span.to} onValue={(to) => setSpan((old) => ({ ...old, to }))} />
              <span className="unit">UTC</span>
            </div>
          </div>

          {(props.onImportLabels || props.onExportLabels) && (
            <div className="chart-controls labels-actions">
              <span>Labels</span>
              {props.onImportLabels && (
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label="Import labels…"
                  onClick={props.onImportLabels}
                  title="Import manual labels (.mat, ClassiPyR .sqlite or .csv) or class lists (.mat, .txt)"
                >
                  Import…
                </button>
              )}
              {props.onExportLabels && (
                <button type="button" className="btn btn-small" aria-label="Export labels…" onClick={props.onExportLabels} title="Export the library’s labels as manual_classify .mat files or CSV">
                  Export…
                </button>
              )}
            </div>
          )}
          <div className="chart-controls">
            <label htmlFor="chart-class">Plot</label>
            <select id="chart-class" className="input" aria-label="Class to plot" value={plotClass} onChange={(e) => setPlotClass(e.target.value)}>
              <option value="">All images</option>
              {chartClasses.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <ConcentrationChart
            points={chartPoints}
            className={plotClass === '' ? null : plotClass}
            activeBinId={activeBinId}
            onOpen={onOpenBin}
            onBrush={({ from: a, to: b }) => setSpan(brushSpan(a, b))}
            emptyText={
              plotClass === ''
                ? 'No bins with a volume analyzed to plot.'
                : classSeries.points === null && classSeries.error === null
                  ? `Counting ${plotClass}…`
                  : `No bin with classes counted has ${plotClass} in this span.`
            }
          />
          {classSeries.error && <ErrorNote error={classSeries.error} />}

          {error && <ErrorNote error={error} />}

          <div
            className="bin-list"
            ref={listRef}
            role="listbox"
            aria-label="Bins"
            tabIndex={0}
            aria-activedescendant={cursor !== null && binIndex.has(cursor) ? optionId(cursor) : undefined}
            aria-description={onOpenRange ? 'Ctrl or ⌘ with click or Space, or Shift with click or arrows, selects several bins; Escape clears' : undefined}
            onKeyDown={onListKey}
          >
            {items.length === 0 && !loading && (
              <div className="library-empty">
                {roots.length === 0 ? <p>No folders yet. Add a folder of IFCB data to browse its bins.</p> : <p>No bins match.</p>}
              </div>
            )}
            <div className="bin-list-content" style={{ height: virtualizer.getTotalSize() }}>
              {virtualItems.map((v) => {
                const item = items[v.index]!;
                if (item.kind === 'day') {
                  return (
                    <div
                      key={v.key}
                      className="day-header"
                      style={{ transform: `translateY(${v.start}px)`, height: DAY_ROW }}
                      data-day={item.key.slice(4)}
                      title="Show this day as one mosaic"
                      onClick={() => filter && onOpenRange?.({ label: item.label, filter: { ...filter, from: Date.parse(`${item.key.slice(4)}T00:00:00Z`), to: Date.parse(`${item.key.slice(4)}T00:00:00Z`) + 86_400_000 } })}
                    >
                      <span>{item.label}</span>
                      <span className="muted num">{item.bins}</span>
                    </div>
                  );
                }
                const bin = item.bin;
                const partial = bin.qc.includes('partial');
                const selected = selection.selected.has(bin.id);
                return (
                  <div
                    key={v.key}
                    role="option"
                    id={optionId(bin.id)}
                    aria-selected={bin.id === activeBinId}
                    data-bin={bin.id}
                    data-selected={selected || undefined}
                    className={`bin-row${bin.id === activeBinId ? ' is-active' : ''}${bin.id === cursor ? ' is-cursor' : ''}${selected ? ' is-selected' : ''}${partial ? ' is-partial' : ''}`}
                    style={{ transform: `translateY(${v.start}px)`, height: BIN_ROW }}
                    title={bin.folder ? `${bin.folder}/${bin.id}` : bin.id}
                    onMouseDown={(e) => {
                      // Shift+click must not select the rows' text as well.
                      if (onOpenRange && e.shiftKey) e.preventDefault();
                    }}
                    onClick={(e) => {
                      setCursor(bin.id);
                      if (onOpenRange && (e.ctrlKey || e.metaKey)) setSelection((sel) => toggleBin(sel, bin.id));
                      else if (onOpenRange && e.shiftKey) setSelection((sel) => extendTo(sel, binOrder, bin.id, activeBinId));
                      else {
                        setSelection((sel) => anchorAt(sel, bin.id));
                        onOpenBin(bin.id);
                      }
                    }}
                  >
                    <div className="bin-row-main">
                      <span className="bin-time">{timeOfDay(bin.timestamp)}</span>
                      <span className="bin-inst">{instrumentName(bin.schema, bin.instrument)}</span>
                      <span className="bin-images num">{bin.imageCount === null ? '—' : count(bin.imageCount)} img</span>
                      <span className="bin-ml num">{bin.mlAnalyzed === null ? '—' : `${sig(bin.mlAnalyzed)} mL`}</span>
                    </div>
                    <div className="bin-row-sub">
                      <span className="bin-id">{bin.id}</span>
                      {bin.qc.map((flag) => {
                        const q = QC_LABELS[flag] ?? { label: flag, title: flag, tone: 'info' as const };
                        return (
                          <span key={flag} className={`badge badge-${q.tone}`} title={q.title}>
                            {q.label}
                          </span>
                        );
                      })}
                    </div>
                  </div>
                );
              })}
            </div>
          </div>
          <footer className="library-footer muted">
            <span>
              {/* "1 bin", "2 bins", "500+ bins" while more pages follow */}
              {count(bins.length)}
              {next ? '+' : ''} {bins.length === 1 && !next ? 'bin' : 'bins'}
              {loading ? ' · loading…' : ''}
            </span>
            {onOpenRange && selectedBins.length >= 2 ? (
              <button
                type="button"
                className="btn btn-small"
                title="All their images in one mosaic, oldest bin first (Escape in the list clears the selection)"
                onClick={() => onOpenRange({ label: `${selectedBins.length} selected bins`, bins: selectedBins })}
              >
                Show {count(selectedBins.length)} bins as one mosaic
              </button>
            ) : (
              onOpenRange &&
              filter &&
              bins.length > 0 && (
                <button type="button" className="btn btn-small" onClick={() => onOpenRange({ label: spanLabel(span) ?? (search.trim() || 'All bins'), filter })}>
                  Show the list as one mosaic
                </button>
              )
            )}
          </footer>
        </>
      )}
      {resultsDialog && (
        <PathDialog
          title="Add a results folder"
          label="Folder of classifier results, features, blobs or manual labels"
          placeholder="/data/ifcb-results"
          submitLabel="Add"
          error={resultsDialog.error}
          onCancel={() => setResultsDialog(null)}
          onSubmit={(path) => void addResultsFolder(resultsDialog.rootId, path)}
        />
      )}
    </aside>
  );
}
