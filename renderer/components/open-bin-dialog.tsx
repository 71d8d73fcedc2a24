/**
 * "Open bin…" where no native dialog exists (the loopback bridge in development and tests): a path
 * field. Under Electron the app calls the native dialog instead and never shows this.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ErrorInfo } from '../../shared/errors.ts';
import { ErrorNote } from './error-state.tsx';

export interface PathDialogProps {
  title: string;
  label: string;
  placeholder: string;
  submitLabel: string;
  onSubmit: (path: string) => void;
  onCancel: () => void;
  error?: ErrorInfo | null;
}

export function PathDialog(p: PathDialogProps) {
  const [path, setPath] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim() !== '') p.onSubmit(path.trim());
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && p.onCancel()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="path-dialog-title" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && p.onCancel()}>
        <h2 id="path-dialog-title">{p.title}</h2>
        <label className="modal-field">
          <span>{p.label}</span>
          <input ref={inputRef} className="input" type="text" spellCheck={false} placeholder={p.placeholder} value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
        {p.error && <ErrorNote error={p.error} />}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={p.onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={path.trim() === ''}>
            {p.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
