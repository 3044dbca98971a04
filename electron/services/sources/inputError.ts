import { AppError } from '../../../shared/api/errors';

/**
 * Where in the input a problem is. `file` is what the user knows the input as (a path, or
 * `package.zip › Customers.csv` for an entry); `line` is the physical line (CSV/XML) or sheet row
 * (xlsx); `row` the 1-based data row; `entry` a zip entry name.
 */
export interface InputLocation {
  readonly file: string;
  readonly entry?: string;
  readonly line?: number;
  readonly column?: number;
  readonly row?: number;
}

/**
 * Malformed or unsafe input: a data file, a manifest, a zip. An AppError with code
 * 'INVALID_INPUT' whose message starts with the place and says how to fix it: `problem` is either
 * a sentence after a line (`Customers.csv, line 12: the text qualifier " … is never closed`) or a
 * predicate of the file (`package.zip › a.csv is corrupt…`). `details` carries the same place as
 * data for the UI and the services.
 */
export class InputFileError extends AppError {
  declare readonly details: InputLocation;

  constructor(location: InputLocation, problem: string, options?: { cause?: unknown }) {
    // "Customers.csv, line 12: the text qualifier…" / "package.zip › a.csv is corrupt…"
    const pinpointed = location.line !== undefined || location.row !== undefined || location.column !== undefined;
    super('INVALID_INPUT', `${describeLocation(location)}${pinpointed ? ':' : ''} ${problem}`, location, options);
    this.name = 'InputFileError';
  }
}

export function describeLocation(location: InputLocation): string {
  const parts = [location.entry === undefined ? location.file : `${location.file} › ${location.entry}`];
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  else if (location.row !== undefined) parts.push(location.row === 0 ? 'header' : `data row ${location.row}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  return parts.join(', ');
}

/** Turns whatever a parser or stream threw into an InputFileError at `location` (keeps our own errors). */
export function asInputError(error: unknown, location: InputLocation, what: string): InputFileError {
  if (error instanceof InputFileError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new InputFileError(location, `${what}: ${reason}`, { cause: error });
}
