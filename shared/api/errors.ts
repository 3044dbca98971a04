/**
 * Stable error codes of the API contract. The renderer, the CLI and tests branch on these codes,
 * never on message text, so a code is never renamed or reused for another meaning.
 */
export const ERROR_CODES = [
  /** The method name is not in the contract's allow-list. */
  'UNKNOWN_METHOD',
  /** The request was not a well-formed call (not an object, no id, too large...). */
  'INVALID_REQUEST',
  /** The params did not match the method's schema. `details.issues` lists each problem. */
  'INVALID_PARAMS',
  /** Something the user asked for does not exist (environment, job, file, execution id). */
  'NOT_FOUND',
  /** The request conflicts with the current state (a job already running, a name taken). */
  'CONFLICT',
  /** Input data (a file, a package, a manifest) is malformed or unsafe. */
  'INVALID_INPUT',
  /** Sign-in is needed, or the token was refused. */
  'UNAUTHORIZED',
  /** Signed in, but not allowed (also: a PROD write that was not confirmed). */
  'FORBIDDEN',
  /** A remote service (F&O, blob storage, the authority) failed or is unreachable. */
  'REMOTE_FAILED',
  /** A remote service asked us to slow down and retries ran out. */
  'THROTTLED',
  /** The operation was cancelled by the user. */
  'CANCELLED',
  /** The operation took longer than its limit. */
  'TIMEOUT',
  /** The transport between renderer and services failed (connection lost, refused). */
  'TRANSPORT',
  /** A bug: an unexpected exception in a handler. The message never carries internals. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  readonly code: ErrorCode;
  /** A sentence for the user: what went wrong and what to do about it. */
  readonly message: string;
  /** Structured, serialisable extra data (validation issues, file and line, remote status). */
  readonly details?: unknown;
}

/**
 * The error services throw on purpose. The dispatcher turns it into an error envelope with the
 * same code and message; any other exception becomes INTERNAL with a generic message.
 */
export class AppError extends Error implements ApiError {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
