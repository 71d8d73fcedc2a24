/**
 * The full metadata (headers and every ADC field) of one bin, fetched only when something shows it (the
 * inspector, the ROI view) and only once the view's first pixels are on their way, so it never delays the first
 * screen. Kept for the last few bins of the view.
 */
import { useEffect, useRef, useState } from 'react';
import type { BinMetadata, IfcbApi } from '../../shared/ipc/contract.ts';
import type { ErrorInfo } from '../../shared/errors.ts';

const KEPT = 4;

export function useBinMetadata(api: IfcbApi, binId: string | null, generation: number, enabled: boolean): { metadata: BinMetadata | null; error: ErrorInfo | null } {
  const cache = useRef({ generation, entries: new Map<string, BinMetadata>() });
  if (cache.current.generation !== generation) cache.current = { generation, entries: new Map() };
  const [, setVersion] = useState(0);
  const [error, setError] = useState<{ binId: string; error: ErrorInfo } | null>(null);
  const cached = binId ? (cache.current.entries.get(binId) ?? null) : null;

  useEffect(() => {
    if (!binId || !enabled || cached) return;
    let live = true;
    const entries = cache.current.entries;
    void api.getBinMetadata({ binId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError({ binId, error: r.error });
      entries.set(binId, r.value);
      while (entries.size > KEPT) entries.delete(entries.keys().next().value!);
      setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [api, binId, enabled, cached, generation]);

  return { metadata: cached, error: error && error.binId === binId ? error.error : null };
}
