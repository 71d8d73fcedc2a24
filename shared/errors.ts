/**
 * One error type for the whole application. Every failure a user can meet has a `code`;
 * the UI and the CLI switch on the code, never on the message text. Messages say what
 * happened, to which file, and what the user can do about it.
 *
 * Environment-free: imported by the main process, the renderer and the CLI alike.
 */

export const ERROR_CODES = [
  // Identifiers and paths
  'INVALID_BIN_ID', // a file name that is not an IFCB bin id
  'BIN_NOT_FOUND', // no fileset for an id under a directory, or an unknown id over IPC
  'FILE_MISSING', // one of the bin's files (.adc/.hdr/.roi) does not exist
  'FILE_UNREADABLE', // exists but cannot be read (permissions, is a directory, I/O error)
  'FILE_NOT_REGULAR', // a FIFO, socket or device where a bin file should be: refused before it is opened
  'PATH_NOT_ALLOWED', // outside what the user opened or indexed
  // Parsing
  'HEADER_UNREADABLE', // .hdr could not be decoded
  'HEADER_TOO_COMPLEX', // a header value nested or sized beyond the parser's bounds (details.line)
  'ADC_MALFORMED_ROW', // an .adc row that is not numbers, or has too few columns (details.line)
  'ADC_TOO_LARGE', // an .adc beyond the reader's sanity limit
  'ROI_NOT_IN_BIN', // asked for a target that has no image
  'ROI_TRUNCATED', // START_BYTE + width*height lies beyond the end of the .roi
  'ROI_INVALID_GEOMETRY', // negative/huge width, height or offset in the ADC
  // Lifetimes
  'SCOPE_CLOSED', // a read through a scope that has been disposed
  // Catalogue
  'DB_CORRUPT',
  'DB_LOCKED',
  'DB_TOO_NEW',
  'DB_READONLY',
  'DB_IO', // disk full or an I/O error under the database: a rebuild would not help
  // Boundary
  'INVALID_ARGUMENT', // an IPC/CLI argument failed validation
  'CANCELLED',
  'NOT_AVAILABLE', // a feature this transport/build lacks (native dialogs in the browser, no catalogue)
  'BUSY', // the server holds as much image data in flight as it may: retry shortly
  // Export
  'EXPORT_TARGET_EXISTS',
  'EXPORT_EMPTY', // the selection holds no image: nothing was written
  'EXPORT_FAILED',
  'INTERNAL',
  // Derived products (class scores, manual labels, features, blobs)
  'PRODUCT_MALFORMED', // a product file whose structure is wrong: truncated, wrong shapes, missing variables
  'PRODUCT_UNSUPPORTED', // a readable file in a variant we do not read (MAT v7.3, sparse arrays, unknown layout)
  'PRODUCT_TOO_LARGE', // dimensions beyond the reader's sanity limits
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Plain JSON: file paths, line numbers, target numbers. */
  details?: Record<string, unknown>;
}

export class IfcbError extends Error {
  override readonly name = 'IfcbError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isIfcbError(e: unknown, code?: ErrorCode): e is IfcbError {
  return e instanceof IfcbError && (code === undefined || e.code === code);
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
