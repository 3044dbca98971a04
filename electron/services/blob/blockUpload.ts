import { BlockBlobClient, RestError } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../../shared/api/errors';
import { cancelled } from '../dmf/retry';
import type { Logger } from '../logging/logger';
import { redact } from '../logging/redact';
import type { FetchLike } from '../net/fetch';
import { blobPipeline } from './pipeline';

/** Azure allows 50,000 blocks per blob; F&O packages reach 5 GB. */
const MAX_BLOCKS = 50_000;
export const DEFAULT_BLOCK_SIZE = 8 * 1024 * 1024;
const DEFAULT_CONCURRENCY = 4;
/** SAS refreshes in a row without a block getting through: past that the URL itself is wrong. */
const MAX_SAS_REFRESHES = 5;

export interface UploadProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

export interface BlockUploadOptions {
  readonly file: string;
  /**
   * The SAS URL to write to. `renew: true` after the SAS was refused (expired): ask
   * GetAzureWriteUrl again for the same blob name; the staged blocks are kept by the blob.
   */
  readonly writeUrl: (renew: boolean) => Promise<string>;
  /**
   * Stable for one upload of one file (e.g. job id + package hash): block ids derive from it, so
   * a resumed upload recognises its own staged blocks and a different file never reuses them.
   */
  readonly uploadKey: string;
  /** Blocks staged by an earlier, interrupted attempt (from the job's persisted state). */
  readonly stagedBlocks?: ReadonlySet<number>;
  /** Called after each block is staged, so the job can persist it before going on. */
  readonly onBlockStaged?: (index: number) => Promise<void> | void;
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly blockSize?: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly logger: Logger;
  /** The network port (Electron's net.fetch in the app), as for every other remote call. */
  readonly fetch: FetchLike;
}

export interface UploadOutcome {
  readonly totalBytes: number;
  readonly blockCount: number;
  /** Blocks actually sent in this attempt (the others were already on the blob). */
  readonly blocksSent: number;
  readonly blocksSkipped: number;
}

/** Block i's id: base64 of a fixed-length string, as Azure requires equal-length ids per blob. */
export function blockId(uploadKey: string, index: number): string {
  const key = createHash('sha256').update(uploadKey).digest('hex').slice(0, 16);
  return Buffer.from(`${key}-${String(index).padStart(6, '0')}`).toString('base64');
}

export function blockSizeFor(totalBytes: number, preferred = DEFAULT_BLOCK_SIZE): number {
  return Math.max(preferred, Math.ceil(totalBytes / MAX_BLOCKS));
}

/**
 * Uploads a file to a block blob on a SAS URL: blocks in parallel with byte progress, each with
 * its MD5; resumes without sending again a block that is already on the blob (the job's record,
 * checked against Get Block List when the SAS allows reading it); renews an expired SAS and goes
 * on; commits the block list at the end.
 */
export async function uploadBlockBlob(options: BlockUploadOptions): Promise<UploadOutcome> {
  const { logger, signal } = options;
  const handle = await open(options.file, 'r');
  try {
    const totalBytes = (await handle.stat()).size;
    const blockSize = blockSizeFor(totalBytes, options.blockSize);
    // An empty file commits an empty block list (Azure refuses empty blocks).
    const blockCount = Math.ceil(totalBytes / blockSize);
    const ids = Array.from({ length: blockCount }, (_, i) => blockId(options.uploadKey, i));

    const pipeline = blobPipeline(options.fetch);
    let client = new BlockBlobClient(await options.writeUrl(false), pipeline);
    let refreshes = 0;
    /** Runs a blob call, renewing the SAS when it was refused, up to MAX_SAS_REFRESHES in a row. */
    const withSas = async <T>(run: (blob: BlockBlobClient) => Promise<T>): Promise<T> => {
      for (;;) {
        if (signal?.aborted) throw cancelled(signal);
        const current = client;
        try {
          const result = await run(current);
          refreshes = 0;
          return result;
        } catch (error) {
          if (signal?.aborted) throw cancelled(signal);
          if (!isSasRefused(error) || refreshes >= MAX_SAS_REFRESHES) throw blobFailure(error);
          // Several blocks in flight may see the expiry at once: renew once for all of them.
          if (client === current) {
            refreshes++;
            logger.info('Upload: the SAS URL was refused (expired); asking for a new one and going on');
            client = new BlockBlobClient(await options.writeUrl(true), pipeline);
          }
        }
      }
    };

    const onBlob = await stagedOnBlob(client, ids, logger);
    if (onBlob === 'committed') {
      options.onProgress?.({ loadedBytes: totalBytes, totalBytes });
      return { totalBytes, blockCount, blocksSent: 0, blocksSkipped: blockCount };
    }
    const done = new Set<number>([...(options.stagedBlocks ?? [])].filter((i) => i < blockCount));
    // Trust the blob over our record when it can be read: a block we recorded may have been
    // garbage-collected, and one we did not record may be there (crash before the write).
    if (onBlob) {
      for (const i of [...done]) if (!onBlob.has(i)) done.delete(i);
      for (const i of onBlob) done.add(i);
    }
    const sizeOf = (i: number) => Math.min(blockSize, totalBytes - i * blockSize);
    let loaded = [...done].reduce((sum, i) => sum + sizeOf(i), 0);
    const inFlight = new Map<number, number>();
    const report = () => {
      let partial = 0;
      for (const bytes of inFlight.values()) partial += bytes;
      options.onProgress?.({ loadedBytes: loaded + partial, totalBytes });
    };
    report();

    const pending = ids.map((_, i) => i).filter((i) => !done.has(i));
    const skipped = blockCount - pending.length;
    let next = 0;
    const worker = async () => {
      const buffer = Buffer.allocUnsafe(blockSize);
      while (next < pending.length) {
        const index = pending[next++] as number;
        const length = sizeOf(index);
        const { bytesRead } = await handle.read(buffer, 0, length, index * blockSize);
        if (bytesRead !== length) {
          throw new AppError(
            'INVALID_INPUT',
            `${options.file} changed while it was being uploaded. Build the package again.`,
          );
        }
        const body = buffer.subarray(0, length);
        const md5 = createHash('md5').update(body).digest();
        await withSas((blob) =>
          blob.stageBlock(blockId(options.uploadKey, index), body, length, {
            transactionalContentMD5: md5,
            abortSignal: signal,
            onProgress: (p) => {
              inFlight.set(index, p.loadedBytes);
              report();
            },
          }),
        );
        inFlight.delete(index);
        loaded += length;
        await options.onBlockStaged?.(index);
        report();
      }
    };
    const workers = Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, Math.max(1, pending.length));
    await Promise.all(Array.from({ length: workers }, worker));
    await withSas((blob) =>
      blob.commitBlockList(ids, { blobHTTPHeaders: { blobContentType: 'application/zip' }, abortSignal: signal }),
    );
    return { totalBytes, blockCount, blocksSent: pending.length, blocksSkipped: skipped };
  } finally {
    await handle.close();
  }
}

/**
 * What the blob already holds of this upload: 'committed' when its committed list is exactly our
 * blocks (a crash after the commit), else the indexes of our uncommitted blocks. null when the
 * SAS may not read the block list (F&O's write URLs are write-only): then the job's record rules.
 */
async function stagedOnBlob(
  client: BlockBlobClient,
  ids: readonly string[],
  logger: Logger,
): Promise<Set<number> | 'committed' | null> {
  try {
    const list = await client.getBlockList('all');
    const committed = (list.committedBlocks ?? []).map((b) => b.name);
    if (committed.length === ids.length && committed.every((name, i) => name === ids[i])) return 'committed';
    const index = new Map(ids.map((id, i) => [id, i]));
    const staged = new Set<number>();
    for (const block of list.uncommittedBlocks ?? []) {
      const i = index.get(block.name ?? '');
      if (i !== undefined) staged.add(i);
    }
    return staged;
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 404) return new Set();
    if (error instanceof RestError && (error.statusCode === 403 || error.statusCode === 401)) {
      logger.debug('Upload: the SAS may not read the block list; resuming from the job record');
      return null;
    }
    throw blobFailure(error);
  }
}

/** Azure answers an expired or revoked SAS with 403 AuthenticationFailed. */
export function isSasRefused(error: unknown): boolean {
  return (
    error instanceof RestError &&
    error.statusCode === 403 &&
    /AuthenticationFailed|AuthorizationFailure/i.test(error.code ?? error.message)
  );
}

export function blobFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new AppError('CANCELLED', 'The transfer was cancelled.');
  const status = error instanceof RestError ? error.statusCode : undefined;
  const code = error instanceof RestError ? error.code : undefined;
  // RestError messages can quote the request URL, SAS signature included.
  const message = redact(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  return new AppError(
    'REMOTE_FAILED',
    `Blob storage refused the transfer${status ? ` (HTTP ${status}${code ? ` ${code}` : ''})` : ''}: ${message}. Try again; if it keeps failing, check your network or proxy.`,
    { status, code },
  );
}
