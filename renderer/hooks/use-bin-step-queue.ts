import { useMemo } from 'react';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import { BinStepQueue } from '../lib/bin-step-queue.ts';
import { useLatest } from './use-latest.ts';

/** The `[` / `]` queue of this page: neighbours from the catalogue, the bin where a walk stops opened with `open`. */
export function useBinStepQueue(api: IfcbApi, open: (binId: string) => void): BinStepQueue {
  const openRef = useLatest(open);
  return useMemo(
    () =>
      new BinStepQueue({
        neighbour: async (binId, direction) => {
          const r = await api.getNeighbours({ binId });
          return r.ok ? r.value[direction] : undefined;
        },
        open: (binId) => openRef.current(binId),
      }),
    [api, openRef],
  );
}
