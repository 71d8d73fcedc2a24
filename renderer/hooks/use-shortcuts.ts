/**
 * App-wide keyboard shortcuts (the mosaic handles navigation and selection keys itself): Ctrl/⌘+E export,
 * Ctrl/⌘+O open, + / − / 0 zoom, [ and ] the previous and next bin. Registered in a layout effect so a key
 * pressed right after a bin opens already acts on that bin.
 */
import { useLayoutEffect } from 'react';
import { controlOwnsKey, stepZoom } from '../lib/keys.ts';

export interface Shortcuts {
  /** Off while a dialog is open. */
  enabled: boolean;
  zoom: number;
  onZoom: (zoom: number) => void;
  onExport: () => void;
  onOpenFile: () => void;
  onNeighbour: (direction: 'previous' | 'next') => void;
}

export function useShortcuts({ enabled, zoom, onZoom, onExport, onOpenFile, onNeighbour }: Shortcuts): void {
  useLayoutEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (controlOwnsKey(e)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && (e.key === 'e' || e.key === 'E')) {
        e.preventDefault();
        onExport();
      } else if (mod && (e.key === 'o' || e.key === 'O')) {
        e.preventDefault();
        onOpenFile();
      } else if (mod || e.altKey) {
        return;
      } else if (e.key === '+' || e.key === '=') {
        onZoom(stepZoom(zoom, 1));
      } else if (e.key === '-' || e.key === '−' || e.key === '_') {
        onZoom(stepZoom(zoom, -1));
      } else if (e.key === '0') {
        onZoom(1);
      } else if (e.key === '[') {
        onNeighbour('previous');
      } else if (e.key === ']') {
        onNeighbour('next');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, zoom, onZoom, onExport, onOpenFile, onNeighbour]);
}
