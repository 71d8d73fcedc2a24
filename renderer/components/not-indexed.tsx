/**
 * What the library could not index, with the reason: bins stored as unreadable (their error code) and the
 * files the folder walk skipped (incomplete filesets, names that are not bin ids). Collapsed to one line
 * until opened, so a few bad files never crowd out the bins.
 */
import { useState } from 'react';
import { count } from '../lib/format.ts';

export interface NotIndexedItem {
  /** Path relative to its library folder. */
  path: string;
  code: string;
  message: string;
}

export function NotIndexed({ items, more }: { items: readonly NotIndexedItem[]; more: boolean }) {
  const [open, setOpen] = useState(false);
  if (items.length === 0) return null;
  const n = `${count(items.length)}${more ? '+' : ''}`;
  return (
    <section className="not-indexed" aria-label="Not indexed">
      <button type="button" className="not-indexed-toggle" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        <span className="badge badge-warn">{n}</span> {items.length === 1 && !more ? 'file' : 'files'} not indexed
        <span className="muted">{open ? '▾' : '▸'}</span>
      </button>
      {open && (
        <ul className="not-indexed-list">
          {items.map((item) => (
            <li key={`${item.path}:${item.code}`} title={`${item.path}\n${item.message}`}>
              <span className="not-indexed-path">{item.path}</span>
              <span className="error-code">{item.code}</span>
              <span className="not-indexed-reason muted">{item.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
