/**
 * A path that wraps only after a `/` or, in its last part (a file or bin name), after the last `_` (`D20220522T003051_`
 * / `IFCB134`), never inside a folder name or a bin id's pieces (each a `.nowrap` span). In the inspector the value
 * column is as wide as the widest piece and the field names give way.
 */
import { Fragment } from 'react';

/** The pieces of a path, each ending where a line may break. */
export function pathPieces(path: string): string[] {
  const parts = path.split('/');
  const last = parts.pop()!;
  const pieces = parts.map((part) => `${part}/`);
  const cut = last.lastIndexOf('_') + 1;
  if (cut > 0 && cut < last.length) pieces.push(last.slice(0, cut), last.slice(cut));
  else pieces.push(last);
  return pieces;
}

/** `text` as its pieces, with a line break allowed only between them. */
export function BreakablePieces({ text, className }: { text: string; className: string }) {
  const pieces = pathPieces(text);
  return (
    <span className={className}>
      {pieces.map((piece, i) => (
        <Fragment key={i}>
          <span className="nowrap">{piece}</span>
          {i < pieces.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}

export function PathText({ path, className }: { path: string; className?: string }) {
  return <BreakablePieces text={path} className={className ? `path-text ${className}` : 'path-text'} />;
}
