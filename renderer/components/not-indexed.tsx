/**
 * What the library could not index, with the reason (`roots:problems`): files the folder walk skipped
 * (names that are not bin ids, incomplete filesets, unreadable folders) and bins stored as unreadable, with
 * their error code. The count is the roots' own (`Root.problemCount`), so it stays right when the list is
 * cut short. Collapsed to one line until opened, so a few bad files never crowd out the bins.
 */
import { useState } from 'react';
import type { LibraryProblems, Root } from '../../shared/ipc/contract.ts';
import { count } from '../lib/format.ts';
import { PathText } from './path-text.tsx';

type Problem = LibraryProblems['problems'][number];

/** The last folder of a root's path: enough to tell roots apart in the list (the full path is the tooltip). */
const rootName = (root: Root | undefined) => root?.path.split(/[\\/]/).filter(Boolean).pop() ?? '';

/** Where a problem lies, as shown: relative to its root, prefixed by the root's name when there are several. */
export function problemPath(problem: Problem, roots: readonly Root[]): string {
  const relative = problem.path === '.' ? '' : problem.path;
  if (roots.length < 2) return relative === '' ? '(the folder itself)' : relative;
  const name = rootName(roots.find((r) => r.id === problem.rootId));
  return relative === '' ? name : `${name}/${relative}`;
}

export function NotIndexed({ problems, roots }: { problems: readonly Problem[]; roots: readonly Root[] }) {
  const [open, setOpen] = useState(false);
  const total = roots.reduce((n, r) => n + r.problemCount, 0);
  if (total === 0 && problems.length === 0) return null;
  const shown = Math.max(total, problems.length);
  return (
    <section className="not-indexed" aria-label="Not indexed">
      <button type="button" className="not-indexed-toggle" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        <span className="badge badge-warn">{count(shown)}</span> {shown === 1 ? 'file' : 'files'} not indexed
        <span className="muted">{open ? '▾' : '▸'}</span>
      </button>
      {open && (
        <ul className="not-indexed-list">
          {problems.map((p) => {
            const where = problemPath(p, roots);
            const root = roots.find((r) => r.id === p.rootId);
            return (
              <li key={`${p.rootId}:${p.path}:${p.code}`} data-kind={p.kind} title={`${root ? `${root.path}\n` : ''}${where}\n${p.message}`}>
                <PathText className="not-indexed-path" path={where} />
                <span className="error-code">{p.code}</span>
                <span className="not-indexed-reason muted">{p.message}</span>
              </li>
            );
          })}
          {problems.length < shown && <li className="muted">…and {count(shown - problems.length)} more</li>}
        </ul>
      )}
    </section>
  );
}
