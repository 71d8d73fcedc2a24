/**
 * "Open bins": every bin opened from the command line, the OS, a drop or the Open dialog, whether or not
 * it lies in a library folder (and when there is no library at all), so none of them becomes unreachable
 * when another opens. A bin that could not be read stays listed with its error and code.
 */
import type { BinSummary } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';
import { count, utc } from '../lib/format.ts';

export interface OpenedBinEntry {
  /** What to call it: the bin id, or the file name when no id could be read. */
  name: string;
  /** null when the entry cannot be opened again (not a bin). */
  binId: string | null;
  summary: BinSummary | null;
  error: ErrorInfo | null;
}

/** `list` with `entry` added, or updated in place (a bin opened twice is listed once; a later error or summary wins). */
export function withOpenedBin(list: readonly OpenedBinEntry[], entry: OpenedBinEntry): OpenedBinEntry[] {
  const i = list.findIndex((e) => e.name === entry.name);
  if (i < 0) return [...list, entry];
  const merged: OpenedBinEntry = { ...entry, summary: entry.summary ?? list[i]!.summary };
  return list.map((e, j) => (j === i ? merged : e));
}

export interface OpenBinsProps {
  entries: readonly OpenedBinEntry[];
  activeBinId: string | null;
  onOpenBin: (binId: string) => void;
}

export function OpenBins({ entries, activeBinId, onOpenBin }: OpenBinsProps) {
  if (entries.length === 0) return null;
  return (
    <section className="open-bins" aria-label="Open bins">
      <h3 className="group-title">
        Open bins <span className="muted num">{entries.length}</span>
      </h3>
      <ul>
        {entries.map((e) => {
          const s = e.summary;
          const active = e.binId !== null && e.binId === activeBinId;
          const title = s ? `${s.displayName}\n${utc(s.timestamp)}` : e.name;
          return (
            <li key={e.name}>
              <button
                type="button"
                className={`open-bin${active ? ' is-active' : ''}${e.error ? ' is-damaged' : ''}`}
                data-open-bin={e.name}
                aria-current={active ? 'true' : undefined}
                disabled={e.binId === null}
                title={title}
                onClick={() => e.binId !== null && onOpenBin(e.binId)}
              >
                <span className="open-bin-id">{e.name}</span>
                {s && !e.error && <span className="open-bin-meta muted num">{count(s.imageCount)} img</span>}
              </button>
              {e.error && (
                <div className="open-bin-error" title={e.error.message}>
                  <span className="error-code">{e.error.code}</span> {e.error.message}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
