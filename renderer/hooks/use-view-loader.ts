/**
 * The pixel loader of the view being shown: created when a view opens (also a re-open of the same bin, so failed
 * tiles get a fresh start) and disposed when it closes. Sizes of the images (to batch requests by bytes) are
 * filled in as each bin's geometry arrives, and let go with it.
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import { slotOfKey, targetOfKey } from '../../shared/mosaic/keys.ts';
import { PixelLoader } from '../lib/pixel-loader.ts';
import type { ViewState } from '../state/view.ts';
import { viewBins } from '../state/view.ts';

interface Live {
  generation: number;
  loader: PixelLoader;
  /** Pixels of each image, by slot then target: only for the bins whose geometry is held. */
  sizes: Map<number, Map<number, number>>;
}

export interface ViewLoader {
  /** The loader of the view on screen (null while none is open or before its loader exists). */
  loader: PixelLoader | null;
  /** The last read failure, with the bin it came from. */
  imageError: { binId: string; error: ErrorInfo } | null;
  clearImageError: () => void;
}

export function useViewLoader(api: IfcbApi, view: ViewState): ViewLoader {
  const [live, setLive] = useState<Live | null>(null);
  const [imageError, setImageError] = useState<{ binId: string; error: ErrorInfo } | null>(null);
  const open = view.kind === 'bin' || view.kind === 'range';
  const ids = open ? viewBins(view).map((b) => b.id) : null;
  const idsKey = ids?.join(',') ?? '';

  useEffect(() => {
    if (!ids) return;
    // A view's bins (slots) are fixed for its generation.
    const sizes = new Map<number, Map<number, number>>();
    const loader = new PixelLoader(
      (targets, slot) => api.getRoiImages({ binId: ids[slot]!, targets }),
      (key) => sizes.get(slotOfKey(key))?.get(targetOfKey(key)) ?? 0,
    );
    loader.onError((error, keys) => setImageError({ binId: ids[slotOfKey(keys[0]!)] ?? ids[0]!, error }));
    setImageError(null);
    setLive({ generation: view.generation, loader, sizes });
    return () => loader[Symbol.dispose]();
    // One loader per opened view: the generation and its bins decide, not every geometry update.
  }, [api, view.generation, idsKey]);

  // Record image sizes as geometry arrives (the loader reads them when it batches); drop them with a bin let go.
  if (live && live.generation === view.generation) {
    viewBins(view).forEach((bin, slot) => {
      const g = bin.geometry;
      if (!g) {
        live.sizes.delete(slot);
        return;
      }
      if (live.sizes.has(slot)) return;
      const own = new Map<number, number>();
      for (let i = 0; i < g.target.length; i++) own.set(g.target[i]!, g.width[i]! * g.height[i]!);
      live.sizes.set(slot, own);
    });
  }

  return {
    loader: live && live.generation === view.generation ? live.loader : null,
    imageError,
    clearImageError: () => setImageError(null),
  };
}
