import { randomUUID } from 'node:crypto';
import type { DmfBlobStore } from '../blob/blobStore';
import { ActionFailure } from './actions';
import type { ActionHandler } from './actions';

export interface DmfDeps {
  readonly blobs: DmfBlobStore;
}

/** The longest uniqueFileName accepted: Azure blob names stop at 1,024 characters. */
const MAX_BLOB_NAME = 1024;

/** The DMF package API actions by name (dmf-reference.md §2). */
export function createDmfActions(deps: DmfDeps): Record<string, ActionHandler> {
  const { blobs } = deps;
  return {
    GetAzureWriteUrl(params) {
      const name = params.string('uniqueFileName', { required: true });
      // [INFER] F&O's exact answer to an empty or odd name is not documented: refuse what Azure
      // would refuse (empty, too long, control characters, a trailing dot or slash).
      if (
        !name ||
        name.length > MAX_BLOB_NAME ||
        hasControlCharacter(name) ||
        name.includes('\\') ||
        /[./]$/.test(name)
      ) {
        throw new ActionFailure(
          `The file name '${name.slice(0, 100)}' is not a valid blob name: use 1 to ${MAX_BLOB_NAME} characters, no control characters or backslashes, not ending in '.' or '/'.`,
        );
      }
      // The value is a JSON *string* holding JSON: clients decode it twice [DOC][ISSUE #2450].
      return { value: JSON.stringify({ BlobId: `{${randomUUID().toUpperCase()}}`, BlobUrl: blobs.writeUrl(name) }) };
    },
  };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
