/** Node file-system errors → IfcbError with a message a user can act on. */
import { IfcbError } from '../../shared/errors.ts';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted (read-only or protected location)',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'the folder does not exist',
  EEXIST: 'the file already exists',
  EISDIR: 'a folder is in the way',
  EMFILE: 'too many open files',
  EIO: 'an input/output error occurred',
};

/** The errno code of a Node error, if any. */
export function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;
}

/** Wrap a failure while writing the export at `path`; IfcbErrors pass through unchanged. */
export function exportWriteError(e: unknown, path: string): IfcbError {
  if (e instanceof IfcbError) return e;
  const code = errnoCode(e);
  const reason = (code && REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new IfcbError('EXPORT_FAILED', `Could not write the export at ${path}: ${reason}. Nothing was left behind.`, { path, errno: code ?? null }, { cause: e });
}
