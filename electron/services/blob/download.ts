import { BlobClient } from '@azure/storage-blob';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import { cancelled } from '../dmf/retry';
import type { UploadProgress } from './blockUpload';
import { blobFailure, isSasRefused } from './blockUpload';
import type { FetchLike } from '../net/fetch';
import { blobPipeline } from './pipeline';

export interface DownloadOutcome {
  readonly bytes: number;
}

export interface DownloadOptions {
  /** The target file: written beside as a temp file, renamed into place only when complete. */
  readonly file: string;
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly signal?: AbortSignal;
  /** Refuse a body larger than this (a hostile or runaway answer). */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 6 * 1024 ** 3;

/**
 * Downloads a blob from a read SAS URL to disk, streaming, with progress and a size check against
 * the blob's length. `readUrl(renew)` is asked again once when the SAS was refused (expired).
 */
export async function downloadBlob(
  readUrl: (renew: boolean) => Promise<string>,
  options: DownloadOptions & { readonly fetch: FetchLike },
): Promise<DownloadOutcome> {
  let renewed = false;
  const pipeline = blobPipeline(options.fetch);
  for (;;) {
    const client = new BlobClient(await readUrl(renewed), pipeline);
    try {
      const response = await client.download(0, undefined, { abortSignal: options.signal });
      const body = response.readableStreamBody;
      if (!body) throw new AppError('REMOTE_FAILED', 'Blob storage answered without a body.');
      return await writeStream(Readable.from(body), response.contentLength ?? null, options);
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(options.signal);
      if (!renewed && isSasRefused(error)) {
        renewed = true;
        continue;
      }
      throw blobFailure(error);
    }
  }
}

/** Downloads an HTTP response body (the connector's download) to disk with the same checks. */
export async function saveResponse(response: Response, options: DownloadOptions): Promise<DownloadOutcome> {
  if (!response.body) throw new AppError('REMOTE_FAILED', 'The download answered without a body.');
  const length = response.headers.get('content-length');
  return writeStream(
    Readable.fromWeb(response.body as NodeReadableStream),
    length === null ? null : Number(length),
    options,
  );
}

async function writeStream(
  source: Readable,
  expected: number | null,
  options: DownloadOptions,
): Promise<DownloadOutcome> {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (expected !== null && expected > max) {
    source.destroy();
    throw new AppError(
      'REMOTE_FAILED',
      `The file to download is ${expected} bytes, more than the ${max} bytes allowed.`,
    );
  }
  await mkdir(dirname(options.file), { recursive: true });
  const temp = join(dirname(options.file), `.${basename(options.file)}.${randomBytes(4).toString('hex')}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > max)
        return callback(new AppError('REMOTE_FAILED', `The download is larger than the ${max} bytes allowed.`));
      options.onProgress?.({ loadedBytes: bytes, totalBytes: expected ?? bytes });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(temp, { mode: 0o600 }), { signal: options.signal });
    if (expected !== null && bytes !== expected) {
      throw new AppError(
        'REMOTE_FAILED',
        `The download stopped early: ${bytes} of ${expected} bytes arrived. Try again.`,
      );
    }
    await rename(temp, options.file);
    return { bytes };
  } catch (error) {
    await rm(temp, { force: true });
    if (options.signal?.aborted) throw cancelled(options.signal);
    throw error;
  }
}
