/**
 * "Open bins": every bin opened from the command line, the OS, a drop or the Open dialog, whether or not
 * it lies in a library folder (and when there is no library at all), so none of them becomes unreachable
 * when another opens. A file that could not be opened, or a bin that could not be read when shown, stays
 * listed with its error and code.
 */
import type { BinSummary } from '../../shared/ipc/contract.ts';
import { count, utc } from '../lib/format.ts';

type EntryError = { code: string; message: string };

/** One entry: a bin that opened (with the error it gave when last shown, if any), or a file that did not. */
export type OpenBinsEntry = { kind: 'opened'; bin: BinSummary; error?: EntryError } | { kind: 'failed'; name: string; error: EntryError };

const nameOf = (e: OpenBinsEntry) => (e.kind === 'opened' ? e.bin.id : e.name);

/** What a row shows: its name, the bin to open on click (null: nothing to open), a count, the error. */
export function describeOpenBinsEntry(e: OpenBinsEntry): { name: string; binId: string | null; meta: string | null; tooltip: string; error: EntryError | null } {
  if (e.kind === 'failed') return { name: e.name, binId: null, meta: null, tooltip: e.name, error: e.error };
  return {
    name: e.bin.id,
    binId: e.bin.id,
    meta: e.error ? null : `${count(e.bin.imageCount)} img`,
    tooltip: `${e.bin.displayName}\n${utc(e.bin.timestamp)}`,
    error: e.error ?? null,
  };
}

/** `list` with `entry` added at the end, or updated in place (a bin opened twice is listed once). */
export function withOpenBinsEntry(list: readonly OpenBinsEntry[], entry: OpenBinsEntry): OpenBinsEntry[] {
  const i = list.findIndex((e) => nameOf(e) === nameOf(entry));
  return i < 0 ? [...list, entry] : list.map((e, j) => (j === i ? entry : e));
}

/** `list` with the bin `binId` marked as failing with `error` when shown (unchanged if it is not listed). */
export function withOpenBinError(list: readonly OpenBinsEntry[], binId: string, error: EntryError): OpenBinsEntry[] {
  return list.map((e) => (e.kind === 'opened' && e.bin.id === binId ? { ...e, error } : e));
}

export interface OpenBinsProps {
  entries: readonly OpenBinsEntry[];
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
        {entries.map((entry) => {
          const e = describeOpenBinsEntry(entry);
          const active = e.binId !== null && e.binId === activeBinId;
          return (
            <li key={e.name}>
              <button
                type="button"
                className={`open-bin${active ? ' is-active' : ''}${e.error ? ' is-damaged' : ''}`}
                data-open-bin={e.name}
                aria-current={active ? 'true' : undefined}
                disabled={e.binId === null}
                title={e.tooltip}
                onClick={() => e.binId !== null && onOpenBin(e.binId)}
              >
                <span className="open-bin-id">{e.name}</span>
                {e.meta && <span className="open-bin-meta muted num">{e.meta}</span>}
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
