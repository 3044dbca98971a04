import {
  BlobSASPermissions,
  BlobServiceClient,
  BlockBlobClient,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURITE_ACCOUNT, startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { blockId, uploadBlockBlob } from '../../../electron/services/blob/blockUpload';
import { blobPipeline } from '../../../electron/services/blob/pipeline';
import type { UploadProgress } from '../../../electron/services/blob/blockUpload';
import { downloadBlob } from '../../../electron/services/blob/download';
import { DmfClient } from '../../../electron/services/dmf/dmfClient';
import { DmfHttp } from '../../../electron/services/dmf/dmfHttp';
import { createLogger, silentLogger } from '../../../electron/services/logging/logger';
import type { FetchLike } from '../../../electron/services/net/fetch';
import { nodeFetch } from '../../../electron/services/net/fetch';
import { appToken } from '../../support/emulatorHttp';

const MB = 1024 * 1024;
let emulator: Emulator;
let dmf: DmfClient;
let dir: string;
let file: string;
let data: Buffer;
/** Block PUTs seen on the wire (through a counting proxy in front of the emulator's blob endpoint). */
const stagedOnWire: string[] = [];
let proxy: Server;
let proxyOrigin: string;

interface Sent {
  readonly method: string;
  /** The blob operation (`comp` of the query: block, blocklist) or '' for the blob itself. */
  readonly comp: string;
  readonly status: number;
  readonly errorCode: string | null;
}
/** Every blob request the injected fetch saw, with its answer. */
const sent: Sent[] = [];
/** The upload's FetchLike: Node's fetch, recording what goes through it. */
const recordingFetch: FetchLike = async (input, init) => {
  const response = await nodeFetch(input, init);
  sent.push({
    method: init?.method ?? 'GET',
    comp: new URL(String(input)).searchParams.get('comp') ?? '',
    status: response.status,
    errorCode: response.headers.get('x-ms-error-code'),
  });
  return response;
};

beforeAll(async () => {
  emulator = await startEmulator();
  const token = await appToken(emulator);
  const http = new DmfHttp({
    fetch,
    logger: silentLogger,
    environmentName: 'Emulator',
    tokens: { accessToken: async () => token },
  });
  dmf = new DmfClient(http, emulator.baseUrl);
  dir = await mkdtemp(join(tmpdir(), 'dmfw-blob-'));
  data = randomBytes(10 * MB + 12345);
  file = join(dir, 'package.zip');
  await writeFile(file, data);
  const target = new URL(emulator.blobEndpoint);
  proxy = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (req.method === 'PUT' && url.searchParams.get('comp') === 'block')
      stagedOnWire.push(url.searchParams.get('blockid') ?? '');
    const upstream = request(
      // A forwarding proxy names the upstream in Host, as the blob store's door expects.
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await emulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** GetAzureWriteUrl for a name, routed through the counting proxy. */
function writeUrlVia(name: string, counter = { renewals: 0 }) {
  return async (renew: boolean) => {
    if (renew) counter.renewals++;
    const { blobUrl } = await dmf.getAzureWriteUrl(name);
    const url = new URL(blobUrl);
    return `${proxyOrigin}${url.pathname}${url.search}`;
  };
}

async function committed(name: string): Promise<Buffer> {
  const service = new BlobServiceClient(
    emulator.blobEndpoint,
    new StorageSharedKeyCredential(AZURITE_ACCOUNT, emulator.blobAccountKey),
  );
  return service.getContainerClient('dmf').getBlockBlobClient(name).downloadToBuffer();
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('block upload and download on SAS URLs (Azurite behind the emulator)', () => {
  it('uploads in parallel blocks with byte progress and commits the exact bytes', async () => {
    const progress: UploadProgress[] = [];
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('whole.zip'),
      uploadKey: 'job-1',
      blockSize: 2 * MB,
      concurrency: 4,
      onProgress: (p) => progress.push(p),
      logger: silentLogger,
      fetch: recordingFetch,
    });
    expect(outcome).toEqual({ totalBytes: data.length, blockCount: 6, blocksSent: 6, blocksSkipped: 0 });
    expect(progress.at(-1)).toEqual({ loadedBytes: data.length, totalBytes: data.length });
    expect(progress.length).toBeGreaterThan(6);
    expect(sha(await committed('whole.zip'))).toBe(sha(data));
  });

  it('resumes an interrupted upload without sending a block that is already on the blob', async () => {
    stagedOnWire.length = 0;
    const record = new Set<number>();
    const stop = new AbortController();
    const first = uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('resumed.zip'),
      uploadKey: 'job-2',
      blockSize: 1 * MB,
      concurrency: 2,
      signal: stop.signal,
      onBlockStaged: (i) => {
        record.add(i);
        if (record.size === 4) stop.abort();
      },
      logger: silentLogger,
      fetch: recordingFetch,
    });
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    const firstWire = [...stagedOnWire];
    expect(record.size).toBeGreaterThanOrEqual(4);
    expect(record.size).toBeLessThan(11);

    stagedOnWire.length = 0;
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('resumed.zip'),
      uploadKey: 'job-2',
      blockSize: 1 * MB,
      stagedBlocks: record,
      logger: silentLogger,
      fetch: recordingFetch,
    });
    expect(outcome.blocksSkipped).toBe(record.size);
    expect(outcome.blocksSent).toBe(11 - record.size);
    // On the wire: none of the recorded blocks went out again.
    for (const i of record) expect(stagedOnWire).not.toContain(blockId('job-2', i));
    expect(new Set([...firstWire, ...stagedOnWire]).size).toBe(11);
    expect(sha(await committed('resumed.zip'))).toBe(sha(data));
  });

  it('survives connection resets mid-upload', async () => {
    emulator.setFaults({ uploadResets: { count: 3, afterBytes: 64 * 1024 } });
    stagedOnWire.length = 0;
    const lines: string[] = [];
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('reset.zip'),
      uploadKey: 'job-3',
      blockSize: 2 * MB,
      logger: createLogger({ sink: (l) => lines.push(l), level: 'debug' }),
      fetch: recordingFetch,
    });
    expect(outcome.blocksSent).toBe(6);
    // The three reset blocks were sent again (uncommitted, so repeating them is right).
    expect(stagedOnWire.length).toBe(9);
    expect(sha(await committed('reset.zip'))).toBe(sha(data));
    emulator.clearFaults();
  });

  it('asks GetAzureWriteUrl again when the SAS expires mid-upload and goes on', async () => {
    const counter = { renewals: 0 };
    stagedOnWire.length = 0;
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('expired.zip', counter),
      uploadKey: 'job-4',
      blockSize: 1 * MB,
      concurrency: 1,
      onBlockStaged: (i) => {
        if (i === 3) emulator.setFaults({ expireSas: true });
      },
      logger: silentLogger,
      fetch: recordingFetch,
    });
    expect(counter.renewals).toBe(1);
    expect(outcome.blocksSent).toBe(11);
    expect(sha(await committed('expired.zip'))).toBe(sha(data));
  });

  it('sends every block and the block list through the injected fetch', async () => {
    sent.length = 0;
    stagedOnWire.length = 0;
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('through-fetch.zip'),
      uploadKey: 'job-5',
      blockSize: 2 * MB,
      concurrency: 3,
      logger: silentLogger,
      fetch: recordingFetch,
    });
    expect(outcome.blocksSent).toBe(6);
    const blocks = sent.filter((r) => r.method === 'PUT' && r.comp === 'block');
    expect(blocks.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(sent.filter((r) => r.method === 'PUT' && r.comp === 'blocklist')).toEqual([
      { method: 'PUT', comp: 'blocklist', status: 201, errorCode: null },
    ]);
    // Nothing reached the blob endpoint past the injected fetch.
    expect(stagedOnWire).toHaveLength(blocks.length);
    expect(sha(await committed('through-fetch.zip'))).toBe(sha(data));
  });

  it('renews the SAS when a block is refused 403 AuthenticationFailed, read from the error body', async () => {
    const counter = { renewals: 0 };
    sent.length = 0;
    let refusals = 0;
    // An expired SAS as Azure answers it; the code only in the XML body, so the SDK must read it.
    const expiring: FetchLike = async (input, init) => {
      const url = new URL(String(input));
      if (
        url.searchParams.get('comp') === 'block' &&
        url.searchParams.get('blockid') === blockId('job-6', 2) &&
        refusals === 0
      ) {
        refusals++;
        return new Response(
          '\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time has passed.</Message></Error>',
          { status: 403, headers: { 'content-type': 'application/xml' } },
        );
      }
      return recordingFetch(input, init);
    };
    const outcome = await uploadBlockBlob({
      file,
      writeUrl: writeUrlVia('refused.zip', counter),
      uploadKey: 'job-6',
      blockSize: 2 * MB,
      concurrency: 1,
      logger: silentLogger,
      fetch: expiring,
    });
    expect(refusals).toBe(1);
    expect(counter.renewals).toBe(1);
    expect(outcome.blocksSent).toBe(6);
    expect(sha(await committed('refused.zip'))).toBe(sha(data));
  });

  it('sends a body the SDK hands as a stream factory, one block at a time', async () => {
    sent.length = 0;
    const client = new BlockBlobClient(await writeUrlVia('from-streams.zip')(false), blobPipeline(recordingFetch));
    // uploadFile stages each block from a file stream factory (createReadStream of its range).
    await client.uploadFile(file, { blockSize: 3 * MB, concurrency: 2, maxSingleShotSize: MB });
    expect(sent.filter((r) => r.comp === 'block').map((r) => r.status)).toEqual(Array(4).fill(201));
    expect(sha(await committed('from-streams.zip'))).toBe(sha(data));
  });

  it('cancels a block in flight: the job signal reaches fetch', async () => {
    const stop = new AbortController();
    const signals: AbortSignal[] = [];
    const cancelling: FetchLike = (input, init) => {
      if (new URL(String(input)).searchParams.get('comp') !== 'block') return recordingFetch(input, init);
      const pending = nodeFetch(input, init);
      if (init?.signal) signals.push(init.signal);
      stop.abort();
      return pending;
    };
    await expect(
      uploadBlockBlob({
        file,
        writeUrl: writeUrlVia('cancelled.zip'),
        uploadKey: 'job-8',
        blockSize: 2 * MB,
        concurrency: 1,
        signal: stop.signal,
        logger: silentLogger,
        fetch: cancelling,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('reports the storage error code of a refusal it cannot renew', async () => {
    const denied: FetchLike = async () =>
      new Response(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>No.</Message></Error>',
        {
          status: 403,
          headers: { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthorizationPermissionMismatch' },
        },
      );
    await expect(
      uploadBlockBlob({
        file,
        writeUrl: writeUrlVia('denied.zip'),
        uploadKey: 'job-7',
        blockSize: 2 * MB,
        logger: silentLogger,
        fetch: denied,
      }),
    ).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('HTTP 403 AuthorizationPermissionMismatch'),
    });
  });

  it('streams a download to disk with progress and checks its size', async () => {
    const service = new BlobServiceClient(
      emulator.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, emulator.blobAccountKey),
    );
    const blob = service.getContainerClient('dmf').getBlockBlobClient('whole.zip');
    const readUrl = await blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 600_000),
    });
    const target = join(dir, 'out', 'downloaded.zip');
    const progress: UploadProgress[] = [];
    sent.length = 0;
    const outcome = await downloadBlob(async () => readUrl, {
      file: target,
      onProgress: (p) => progress.push(p),
      fetch: recordingFetch,
    });
    expect(outcome.bytes).toBe(data.length);
    expect(sent).toEqual([{ method: 'GET', comp: '', status: 200, errorCode: null }]);
    expect(progress.at(-1)).toEqual({ loadedBytes: data.length, totalBytes: data.length });
    expect(sha(await readFile(target))).toBe(sha(data));
    await expect(
      downloadBlob(async () => readUrl, { file: join(dir, 'small.zip'), maxBytes: 1000, fetch: recordingFetch }),
    ).rejects.toMatchObject({
      code: 'REMOTE_FAILED',
      message: expect.stringContaining('more than the 1000 bytes'),
    });
  });
});
