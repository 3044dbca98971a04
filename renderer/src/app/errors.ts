import { ApiCallError } from '../../../shared/api/client';

/**
 * The sentence to show for a failed call. Service errors already say what went wrong and how to
 * fix it; a broken transport gets advice of its own.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ApiCallError) {
    if (error.code === 'TRANSPORT') {
      return `The workbench service did not answer (${error.message}). Check that it is still running, then try again.`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
