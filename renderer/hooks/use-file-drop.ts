/**
 * Drag and drop onto the window: bin files open, folders join the library. Paths come from the preload
 * (Electron only); in a browser a drop says how to open bins instead.
 */
import { useState } from 'react';
import type { DragEvent as ReactDragEvent } from 'react';
import type { IfcbApi, OpenedBin, RejectedPath } from '../../shared/ipc/contract.ts';
import { MAX_DROPPED_PATHS } from '../../shared/ipc/contract.ts';

export interface FileDropHandlers {
  onOpened: (opened: readonly OpenedBin[]) => void;
  onRootsAdded: () => void;
  /** Dropped paths that could not be opened or added, each with its error. */
  onRejected: (rejected: readonly RejectedPath[]) => void;
  onProblem: (problem: { text: string; code: string }) => void;
}

export interface FileDrop {
  dragging: boolean;
  props: {
    onDragOver: (e: ReactDragEvent) => void;
    onDragLeave: (e: ReactDragEvent) => void;
    onDrop: (e: ReactDragEvent) => void;
  };
}

export function useFileDrop(api: IfcbApi, handlers: FileDropHandlers): FileDrop {
  const [dragging, setDragging] = useState(false);

  const drop = async (e: ReactDragEvent) => {
    e.preventDefault();
    setDragging(false);
    const paths = [...e.dataTransfer.files].map((f) => api.pathForFile?.(f) ?? '').filter((p) => p !== '');
    if (paths.length === 0) {
      handlers.onProblem({ text: 'Dropped files can only be opened in the desktop app; use “Open bin…” here.', code: 'INVALID_ARGUMENT' });
      return;
    }
    const r = await api.openDropped({ paths: paths.slice(0, MAX_DROPPED_PATHS) });
    if (!r.ok) return handlers.onProblem({ text: r.error.message, code: r.error.code });
    if (r.value.opened.length > 0) handlers.onOpened(r.value.opened);
    // Dropped folders are being indexed by main already; list them now.
    if (r.value.roots.length > 0) handlers.onRootsAdded();
    if (r.value.rejected.length > 0) handlers.onRejected(r.value.rejected);
  };

  return {
    dragging,
    props: {
      onDragOver: (e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        if (!dragging) setDragging(true);
      },
      onDragLeave: (e) => {
        if (e.relatedTarget === null) setDragging(false);
      },
      onDrop: (e) => void drop(e),
    },
  };
}
