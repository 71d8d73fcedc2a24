/**
 * The library pane: the bins opened outside the library, the catalogue's roots and what they could not
 * index, bins newest first grouped by day (a listbox: arrows move, Enter opens, the open bin is kept in
 * view), search by any part of the id, a time span to the second, the concentration chart, and indexing progress.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AppInfo, BinsFilter, CatalogueBin, IfcbApi, LibraryProblems, Root } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { ConcentrationChart } from './concentration-chart.tsx';
import { QC_LABELS, count, day, dayHeading, sig, timeOfDay } from '../lib/format.ts';
import type { JobState } from '../lib/jobs.ts';
import { ErrorNote } from './error-state.tsx';
import { instrumentName } from '../../shared/ifcb/bin-id.ts';
import { NO_SPAN, brushSpan, fromDateTimeField, searchFilter, spanFilter, toDateTimeField } from '../lib/library-filter.ts';
import type { TimeSpan } from '../lib/library-filter.ts';
import { OpenBins } from './open-bins.tsx';
import type { OpenBinsEntry } from './open-bins.tsx';
import { NotIndexed } from './not-indexed.tsx';

export interface LibraryProps {
  api: IfcbApi;
  info: AppInfo | null;
  activeBinId: string | null;
  onOpenBin: (binId: string) => void;
  onOpenFile: () => void;
  onAddFolder: () => void;
  /** Bumped when the catalogue changed (an index finished, a root was added). */
  catalogueVersion: number;
  jobs: readonly JobState[];
  /** Bins opened outside the library (launch, OS, dialog, drop), and files that failed to open, with their error. */
  openBins: readonly OpenBinsEntry[];
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

/** The last two folders of a path (the full path is the tooltip). */
function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length <= 2 ? p : `…/${parts.slice(-2).join('/')}`;
}

export function Library(props: LibraryProps) {
  const { api, info, activeBinId, onOpenBin, catalogueVersion, jobs, openBins } = props;
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
  const generation = useRef(0);
  const catalogue = info?.features.catalogue ?? false;

  const parsed = searchFilter(search);
  // A string key keeps the filter object stable while its content is unchanged.
  const filterJson = parsed === 'invalid' ? null : JSON.stringify(buildFilter(parsed, instrument, span));
  const filter = useMemo(() => (filterJson === null ? null : (JSON.parse(filterJson) as BinsFilter)), [filterJson]);

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
    void api.listRoots().then((r) => {
      if (r.ok) setRoots(r.value.roots);
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

  // The open bin (opened here, from the chart, by [ / ] or by the OS) is the cursor and is kept in view.
  const activeIndex = activeBinId === null ? undefined : binIndex.get(activeBinId);
  useEffect(() => {
    if (activeBinId === null) return;
    setCursor(activeBinId);
    if (activeIndex !== undefined) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeBinId, activeIndex, virtualizer]);

  const moveCursor = (target: number, step: 1 | -1) => {
    const start = Math.max(0, Math.min(items.length - 1, target));
    // Day headers are not stops: go on in the direction of travel, or back where the list ends.
    const i = nearestBin(items, start, step) ?? nearestBin(items, start, step === 1 ? -1 : 1);
    if (i === undefined) return;
    setCursor((items[i] as Extract<Item, { kind: 'bin' }>).bin.id);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onListKey = (e: ReactKeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || items.length === 0) return;
    const at = cursor === null ? undefined : binIndex.get(cursor);
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? BIN_ROW) / BIN_ROW) - 1);
    if (e.key === 'ArrowDown') moveCursor(at === undefined ? 0 : at + 1, 1);
    else if (e.key === 'ArrowUp') moveCursor(at === undefined ? 0 : at - 1, -1);
    else if (e.key === 'PageDown') moveCursor((at ?? 0) + page, 1);
    else if (e.key === 'PageUp') moveCursor((at ?? 0) - page, -1);
    else if (e.key === 'Home') moveCursor(0, 1);
    else if (e.key === 'End') moveCursor(items.length - 1, -1);
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
                  <span className="root-count num">{count(root.binCount)} bins</span>
                  <button type="button" className="btn-icon" title="Re-index this folder" aria-label={`Re-index ${root.path}`} onClick={() => void reindex(root.id)}>
                    ↻
                  </button>
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

          <ConcentrationChart
            bins={bins}
            activeBinId={activeBinId}
            onOpen={onOpenBin}
            onBrush={({ from: a, to: b }) => setSpan(brushSpan(a, b))}
          />

          {error && <ErrorNote error={error} />}

          <div
            className="bin-list"
            ref={listRef}
            role="listbox"
            aria-label="Bins"
            tabIndex={0}
            aria-activedescendant={cursor !== null && binIndex.has(cursor) ? optionId(cursor) : undefined}
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
                    <div key={v.key} className="day-header" style={{ transform: `translateY(${v.start}px)`, height: DAY_ROW }}>
                      <span>{item.label}</span>
                      <span className="muted num">{item.bins}</span>
                    </div>
                  );
                }
                const bin = item.bin;
                const partial = bin.qc.includes('partial');
                return (
                  <div
                    key={v.key}
                    role="option"
                    id={optionId(bin.id)}
                    aria-selected={bin.id === activeBinId}
                    data-bin={bin.id}
                    className={`bin-row${bin.id === activeBinId ? ' is-active' : ''}${bin.id === cursor ? ' is-cursor' : ''}${partial ? ' is-partial' : ''}`}
                    style={{ transform: `translateY(${v.start}px)`, height: BIN_ROW }}
                    title={bin.folder ? `${bin.folder}/${bin.id}` : bin.id}
                    onClick={() => {
                      setCursor(bin.id);
                      onOpenBin(bin.id);
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
            {count(bins.length)}
            {next ? '+' : ''} bins{loading ? ' · loading…' : ''}
          </footer>
        </>
      )}
    </aside>
  );
}
