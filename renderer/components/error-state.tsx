/** Errors and empty states shown in place: what happened, to which bin, what to do, and the code. */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';

export interface StatePanelProps {
  tone: 'error' | 'empty' | 'info';
  title: string;
  children?: ReactNode;
  code?: string;
  actions?: ReactNode;
}

/** A centred panel filling the pane it replaces. */
export function StatePanel({ tone, title, children, code, actions }: StatePanelProps) {
  return (
    <div className={`state-panel state-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="state-icon" aria-hidden="true">
        {tone === 'error' ? '!' : tone === 'empty' ? '∅' : 'i'}
      </div>
      <h3 className="state-title">{title}</h3>
      {children && <div className="state-body">{children}</div>}
      {actions && <div className="state-actions">{actions}</div>}
      {code && <div className="error-code">Error code {code}</div>}
    </div>
  );
}

/**
 * A one-line error inside a pane (the pane keeps working). Takes any `{code, message}`: job events carry
 * codes as plain strings.
 */
export function ErrorNote({ error, onDismiss }: { error: Pick<ErrorInfo, 'message'> & { code: string }; onDismiss?: () => void }) {
  return (
    <div className="error-note" role="alert">
      <span className="error-note-text">{error.message}</span>
      <span className="error-code">{error.code}</span>
      {onDismiss && (
        <button type="button" className="btn-icon" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}

/** What a user can do about an error opening a bin, by code. */
export function adviceFor(code: string): string {
  switch (code) {
    case 'FILE_MISSING':
      return 'A file of this bin is missing or was moved. Check the folder, or re-index it from the library.';
    case 'FILE_UNREADABLE':
      return 'The file exists but cannot be read. Check its permissions.';
    case 'BIN_NOT_FOUND':
      return 'The bin is not in the library any more. Re-index its folder, or open the file directly.';
    case 'PATH_NOT_ALLOWED':
      return 'Open the file with “Open bin…” or add its folder to the library first.';
    case 'ROI_TRUNCATED':
      return 'The .roi file is shorter than the .adc says: it may still be being written.';
    case 'ADC_MALFORMED_ROW':
    case 'HEADER_UNREADABLE':
    case 'ROI_INVALID_GEOMETRY':
      return 'The bin’s files are damaged; other bins are unaffected.';
    case 'INVALID_BIN_ID':
      return 'IFCB bins are named like D20130526T095207_IFCB013 or IFCB5_2012_028_081515.';
    default:
      return 'Try again; if it keeps happening, report the code below.';
  }
}
