/**
 * The library pane: the catalogue's roots and bins (newest first, grouped by day), search by id,
 * instrument and date range, the concentration chart, and indexing progress.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AppInfo, BinsFilter, CatalogueBin, IfcbApi, Root } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { ConcentrationChart } from './concentration-chart.tsx';
import { QC_LABELS, count, day, dayHeading, sig, timeOfDay } from '../lib/format.ts';
import type { JobState } from '../lib/jobs.ts';
import { ErrorNote } from './error-state.tsx';
import { instrumentName } from '../../shared/ifcb/bin-id.ts';

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
}

type Item = { kind: 'day'; key: string; label: string; bins: number } | { kind: 'bin'; key: string; bin: CatalogueBin };

const PAGE = 500;
const DAY_ROW = 26;
const BIN_ROW = 44;

/** Parse the search box: an instrument (`IFCB134`, `#134`) or an id prefix (`D2013`, `IFCB5_2012`). */
function parseSearch(text: string): Pick<BinsFilter, 'idPrefix' | 'instrument'> | 'invalid' {
  const t = text.trim();
  if (t === '') return {};
  const inst = /^(?:IFCB|#)0*(\d{1,3})$/i.exec(t);
  if (inst) return { instrument: Number(inst[1]) };
  // Bin ids are upper case throughout.
  if (/^[A-Za-z0-9_]{1,24}$/.test(t)) return { idPrefix: t.toUpperCase() };
  return 'invalid';
}

function buildFilter(parsed: Pick<BinsFilter, 'idPrefix' | 'instrument'>, instrument: string, from: string, to: string): BinsFilter {
  const f: BinsFilter = { ...parsed };
  if (instrument !== '' && f.instrument === undefined) f.instrument = Number(instrument);
  const a = dateToEpoch(from, false);
  const b = dateToEpoch(to, true);
  if (a !== undefined) f.from = a;
  if (b !== undefined) f.to = b;
  return f;
}

/** The last two folders of a path (the full path is the tooltip). */
function shortPath(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts.length <= 2 ? p : `…/${parts.slice(-2).join('/')}`;
}

function dateToEpoch(value: string, endOfDay: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : endOfDay ? ms + 86_399_999 : ms;
}

export function Library(props: LibraryProps) {
  const { api, info, activeBinId, onOpenBin, catalogueVersion, jobs } = props;
  const [roots, setRoots] = useState<Root[]>([]);
  const [bins, setBins] = useState<CatalogueBin[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [instrument, setInstrument] = useState<string>('');
  const [instruments, setInstruments] = useState<number[]>([]);
  const generation = useRef(0);
  const catalogue = info?.features.catalogue ?? false;

  const parsed = parseSearch(search);
  // A string key keeps the filter object stable while its content is unchanged.
  const filterJson = parsed === 'invalid' ? null : JSON.stringify(buildFilter(parsed, instrument, from, to));
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
              placeholder="Search bin id or IFCB###"
              aria-label="Search bins by id or instrument"
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
            <div className="library-filters">
              <input type="date" className="input" aria-label="From date (UTC)" value={from} onChange={(e) => setFrom(e.target.value)} />
              <span className="muted">–</span>
              <input type="date" className="input" aria-label="To date (UTC)" value={to} onChange={(e) => setTo(e.target.value)} />
              {(from || to) && (
                <button type="button" className="btn-icon" aria-label="Clear the date range" title="Clear the date range" onClick={() => (setFrom(''), setTo(''))}>
                  ×
                </button>
              )}
            </div>
          </div>

          <ConcentrationChart
            bins={bins}
            activeBinId={activeBinId}
            onOpen={onOpenBin}
            onBrush={({ from: a, to: b }) => {
              setFrom(day(new Date(a).toISOString()));
              setTo(day(new Date(b).toISOString()));
            }}
          />

          {error && <ErrorNote error={error} />}

          <div className="bin-list" ref={listRef} role="listbox" aria-label="Bins">
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
                    aria-selected={bin.id === activeBinId}
                    data-bin={bin.id}
                    className={`bin-row${bin.id === activeBinId ? ' is-active' : ''}${partial ? ' is-partial' : ''}`}
                    style={{ transform: `translateY(${v.start}px)`, height: BIN_ROW }}
                    title={bin.folder ? `${bin.folder}/${bin.id}` : bin.id}
                    onClick={() => onOpenBin(bin.id)}
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
