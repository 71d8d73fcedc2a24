/**
 * The pixel loader of the view being shown: created when a view opens (also a re-open of the same bin, so failed
 * tiles get a fresh start) and disposed when it closes. Sizes of the images (to batch requests by bytes) are
 * filled in as each bin's geometry arrives.
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import type { IfcbApi } from '../../shared/ipc/contract.ts';
import { roiKey, slotOfKey } from '../../shared/mosaic/keys.ts';
import { PixelLoader } from '../lib/pixel-loader.ts';
import type { ViewState } from '../state/view.ts';
import { viewBins } from '../state/view.ts';

interface Live {
  generation: number;
  loader: PixelLoader;
  sizes: Map<number, number>;
  sized: Set<number>;
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
    const sizes = new Map<number, number>();
    const loader = new PixelLoader(
      (targets, slot) => api.getRoiImages({ binId: ids[slot]!, targets }),
      (key) => sizes.get(key) ?? 0,
    );
    loader.onError((error, keys) => setImageError({ binId: ids[slotOfKey(keys[0]!)] ?? ids[0]!, error }));
    setImageError(null);
    setLive({ generation: view.generation, loader, sizes, sized: new Set() });
    return () => loader[Symbol.dispose]();
    // One loader per opened view: the generation and its bins decide, not every geometry update.
  }, [api, view.generation, idsKey]);

  // Record image sizes as geometry arrives (the loader reads them when it batches).
  if (live && live.generation === view.generation) {
    viewBins(view).forEach((bin, slot) => {
      if (!bin.geometry || live.sized.has(slot)) return;
      const g = bin.geometry;
      for (let i = 0; i < g.target.length; i++) live.sizes.set(roiKey(slot, g.target[i]!), g.width[i]! * g.height[i]!);
      live.sized.add(slot);
    });
  }

  return {
    loader: live && live.generation === view.generation ? live.loader : null,
    imageError,
    clearImageError: () => setImageError(null),
  };
}
