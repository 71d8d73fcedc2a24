/** A vertical drag handle that resizes the pane beside it (keyboard: arrows when focused). */
import type { KeyboardEvent as ReactKeyboardEvent, MouseEvent as ReactMouseEvent } from 'react';

export interface SplitterProps {
  /** Current width of the pane being resized. */
  width: number;
  onWidth: (width: number) => void;
  min: number;
  max: number;
  /** The pane is on the left of the handle (dragging right grows it) or on the right. */
  side: 'left' | 'right';
  label: string;
}

export function Splitter({ width, onWidth, min, max, side, label }: SplitterProps) {
  const clamp = (w: number) => Math.round(Math.min(max, Math.max(min, w)));
  const onMouseDown = (e: ReactMouseEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const x0 = e.clientX;
    const w0 = width;
    document.body.classList.add('is-resizing');
    const move = (ev: MouseEvent) => onWidth(clamp(w0 + (side === 'left' ? ev.clientX - x0 : x0 - ev.clientX)));
    const up = () => {
      document.body.classList.remove('is-resizing');
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const step = e.shiftKey ? 40 : 10;
    const grow = side === 'left' ? 'ArrowRight' : 'ArrowLeft';
    const shrink = side === 'left' ? 'ArrowLeft' : 'ArrowRight';
    if (e.key === grow) onWidth(clamp(width + step));
    else if (e.key === shrink) onWidth(clamp(width - step));
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={width}
      tabIndex={0}
      onMouseDown={onMouseDown}
      onKeyDown={onKeyDown}
    />
  );
}
