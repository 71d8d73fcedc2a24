/**
 * A short message over the bottom of the mosaic. News ("300 bins indexed") goes away by itself after a few
 * seconds (longer while the pointer rests on it); errors stay until dismissed. Both can be dismissed.
 */
import { useEffect, useState } from 'react';

export interface Notice {
  tone: 'info' | 'error';
  text: string;
  code?: string;
}

/** How long an info toast stays up, ms. */
export const INFO_TOAST_MS = 6000;

/** How long `notice` stays up by itself, ms; null: until dismissed (an error must be read, not missed). */
export function autoDismissMs(notice: Notice): number | null {
  return notice.tone === 'info' ? INFO_TOAST_MS : null;
}

export function Toast({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const [hovered, setHovered] = useState(false);
  useEffect(() => {
    const ms = autoDismissMs(notice);
    if (ms === null || hovered) return;
    const timer = setTimeout(onDismiss, ms);
    return () => clearTimeout(timer);
  }, [notice, hovered, onDismiss]);
  return (
    <div
      className={`toast toast-${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
    >
      <span className="toast-text">{notice.text}</span>
      {notice.code && <span className="error-code">{notice.code}</span>}
      <button type="button" className="btn-icon" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
