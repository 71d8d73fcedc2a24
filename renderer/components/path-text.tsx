/** A path that wraps only after a `/`, never inside a folder name or a bin id. */
import { Fragment } from 'react';

export function PathText({ path, className }: { path: string; className?: string }) {
  const parts = path.split('/');
  return (
    <span className={className ? `path-text ${className}` : 'path-text'}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          <span className="nowrap">{i < parts.length - 1 ? `${part}/` : part}</span>
          {i < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}
