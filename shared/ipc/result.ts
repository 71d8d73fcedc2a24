/**
 * The result envelope every IPC/HTTP call answers with. Electron keeps only the message of an error
 * thrown in `ipcMain.handle`, so failures travel as data: `{ ok: false, error: { code, message, details? } }`.
 * Environment-free.
 */
import { z } from 'zod';
import { ERROR_CODES, IfcbError, isErrorCode } from '../errors.ts';
import type { ErrorCode, ErrorInfo } from '../errors.ts';

export type Ok<T> = { ok: true; value: T };
export type Err = { ok: false; error: ErrorInfo };
export type Result<T> = Ok<T> | Err;

/** The error part of the envelope, as a schema (used by the fetch client to check what it received). */
export const errorInfoSchema = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string().max(10_000),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** A successful result. */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** A failed result with a specific code. */
export function err(code: ErrorCode, message: string, details?: Record<string, unknown>): Err {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** Turn anything thrown into `ErrorInfo`; unknown exceptions become `INTERNAL` (the caller logs them). */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof IfcbError) return e.toJSON();
  return { code: 'INTERNAL', message: 'An internal error occurred; see the application log.' };
}

/** The value of a result, or throw the error as an `IfcbError` (for UI code that prefers exceptions). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw fromErrorInfo(result.error);
}

/** Rebuild an `IfcbError` from its wire form. */
export function fromErrorInfo(info: ErrorInfo): IfcbError {
  const code: ErrorCode = isErrorCode(info.code) ? info.code : 'INTERNAL';
  return new IfcbError(code, info.message, info.details);
}

/** Narrowing helper. */
export function isOk<T>(result: Result<T>): result is Ok<T> {
  return result.ok;
}
