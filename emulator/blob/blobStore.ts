import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import type { ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { EmulatorClock } from '../clock';
import { checkDoor } from '../http/door';
import type { AzuriteHandle } from './azurite';

/** F&O deletes DMF blobs after seven days [DOC: data-management-api]. */
export const BLOB_RETENTION_MS = 7 * 24 * 3600_000;
const CONTAINER = 'dmf';
const CREATED_META = 'emulatorcreated';

export interface BlobStoreOptions {
  readonly azurite: AzuriteHandle;
  readonly clock: EmulatorClock;
  readonly sasLifetimeSeconds: number;
}

export interface UploadResetFault {
  /** How many uploads (PUT requests) get their connection reset. */
  readonly count: number;
  /** Bytes of the body let through before the reset (default 0). */
  readonly afterBytes?: number;
}

/**
 * The emulator's blob storage: Azurite behind a small HTTP proxy. Clients only ever see proxy URLs
 * with SAS tokens; the proxy checks SAS expiry against the emulator clock (Azurite checks the wall
 * clock, which would ignore `clock.advance()`), and injects upload faults (connection resets).
 */
export interface DmfBlobStore {
  /** http://127.0.0.1:<proxy port>/devstoreaccount1 */
  readonly endpoint: string;
  /** A write-only SAS URL for a new blob (GetAzureWriteUrl). */
  writeUrl(name: string): string;
  /** A read-only SAS URL (exported packages, error files). */
  readUrl(name: string): string;
  upload(name: string, data: Buffer | string | Readable): Promise<void>;
  download(name: string): Promise<Buffer>;
  downloadToFile(name: string, path: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** The blob name when `url` points into this store's container, else null. */
  blobNameOf(url: string): string | null;
  /** Fault: every SAS URL handed out so far stops working now. */
  expireIssuedSas(): void;
  setSasLifetime(seconds: number): void;
  resetUploads(fault: UploadResetFault): void;
  close(): Promise<void>;
}

export async function createBlobStore(options: BlobStoreOptions): Promise<DmfBlobStore> {
  const { azurite, clock } = options;
  let sasLifetimeMs = options.sasLifetimeSeconds * 1000;
  const credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  const container: ContainerClient = new BlobServiceClient(azurite.blobEndpoint, credential).getContainerClient(
    CONTAINER,
  );
  await container.createIfNotExists();
  /** SAS signature → its expiry on the emulator clock. */
  const issued = new Map<string, number>();
  const expiryTimers = new Map<string, () => void>();
  let resets = { count: 0, afterBytes: 0 };

  const azuriteUrl = new URL(azurite.origin);
  const proxy: Server = createServer((req, res) => forward(req, res));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${proxyPort}/${azurite.accountName}`;

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const refused = checkDoor(req, proxyPort);
    if (refused) {
      req.resume();
      res.writeHead(refused.status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(refused.message);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://proxy');
    const sig = url.searchParams.get('sig');
    const expiry = sig === null ? undefined : issued.get(sig);
    if (expiry !== undefined && clock.now() >= expiry) {
      req.resume();
      authenticationFailed(res, url, expiry, clock.now());
      return;
    }
    if (req.method === 'PUT' && resets.count > 0) {
      resets = { ...resets, count: resets.count - 1 };
      resetAfter(req, resets.afterBytes);
      return;
    }
    const upstream = httpRequest(
      { host: azuriteUrl.hostname, port: azuriteUrl.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }

  function sasUrl(name: string, permissions: string): string {
    const now = clock.now();
    const expiresAt = now + sasLifetimeMs;
    // Azurite checks `st` and `se` against the wall clock: start in the wall clock's past and shift
    // the expiry when the emulator clock is behind, so the proxy (on the emulator clock) is the one
    // that decides. A start on an emulator clock that is ahead would not be valid yet for Azurite.
    const wallLag = Math.max(0, Date.now() - now);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName: name,
        permissions: BlobSASPermissions.parse(permissions),
        startsOn: new Date(Math.min(now, Date.now()) - 5 * 60_000 + wallLag),
        expiresOn: new Date(expiresAt + wallLag),
        version: '2021-08-06',
      },
      credential,
    );
    issued.set(sas.signature, expiresAt);
    return `${endpoint}/${CONTAINER}/${encodeBlobName(name)}?${sas.toString()}`;
  }

  /** Deletes the blob seven days (emulator time) after `created`. */
  function scheduleExpiry(name: string, created: number): void {
    expiryTimers.get(name)?.();
    expiryTimers.set(
      name,
      clock.at(created + BLOB_RETENTION_MS, () => {
        expiryTimers.delete(name);
        void container.deleteBlob(name, { deleteSnapshots: 'include' }).catch(() => undefined);
      }),
    );
  }

  // Blobs persisted by an earlier run (data dir) keep their original retention.
  for await (const blob of container.listBlobsFlat({ includeMetadata: true })) {
    const created = Number(blob.metadata?.[CREATED_META]) || blob.properties.createdOn?.getTime() || clock.now();
    scheduleExpiry(blob.name, created);
  }

  const blob = (name: string) => container.getBlockBlobClient(name);

  return {
    endpoint,
    writeUrl(name) {
      // The upload starts the retention window; we cannot see it happen, so count from issue.
      scheduleExpiry(name, clock.now());
      return sasUrl(name, 'w');
    },
    readUrl: (name) => sasUrl(name, 'r'),
    async upload(name, data) {
      const metadata = { [CREATED_META]: String(Math.round(clock.now())) };
      if (typeof data === 'string' || Buffer.isBuffer(data)) {
        await blob(name).uploadData(Buffer.from(data), { metadata });
      } else {
        await blob(name).uploadStream(data, 8 * 1024 * 1024, 4, { metadata });
      }
      scheduleExpiry(name, clock.now());
    },
    download: (name) => blob(name).downloadToBuffer(),
    async downloadToFile(name, path) {
      await blob(name).downloadToFile(path);
    },
    exists: (name) => blob(name).exists(),
    blobNameOf(url) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return null;
      }
      const prefixes = [new URL(endpoint).pathname, new URL(azurite.blobEndpoint).pathname].map(
        (p) => `${p}/${CONTAINER}/`,
      );
      const sameHost = [endpoint, azurite.blobEndpoint].some((e) => new URL(e).host === u.host);
      const prefix = prefixes.find((p) => u.pathname.startsWith(p));
      return sameHost && prefix ? decodeURIComponent(u.pathname.slice(prefix.length)) : null;
    },
    expireIssuedSas() {
      const now = clock.now();
      for (const sig of issued.keys()) issued.set(sig, now);
    },
    setSasLifetime(seconds) {
      sasLifetimeMs = seconds * 1000;
    },
    resetUploads(fault) {
      resets = { count: fault.count, afterBytes: fault.afterBytes ?? 0 };
    },
    async close() {
      for (const cancel of expiryTimers.values()) cancel();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

const encodeBlobName = (name: string): string => name.split('/').map(encodeURIComponent).join('/');

/** Lets `afterBytes` of the body through to nowhere, then resets the TCP connection. */
function resetAfter(req: IncomingMessage, afterBytes: number): void {
  let seen = 0;
  const reset = (): void => {
    req.socket.resetAndDestroy();
  };
  if (afterBytes <= 0) {
    reset();
    return;
  }
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen >= afterBytes) reset();
  });
  req.on('end', reset);
}

/** Azure Storage's answer to a SAS used outside its time window. */
function authenticationFailed(res: ServerResponse, url: URL, expiry: number, now: number): void {
  const requestId = randomUUID();
  const body =
    '\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code>' +
    '<Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.\n' +
    `RequestId:${requestId}\nTime:${new Date(now).toISOString()}</Message>` +
    `<AuthenticationErrorDetail>Signed expiry time [${new Date(expiry).toUTCString()}] must be after signed start time [${url.searchParams.get('st') ?? ''}] and the current time [${new Date(now).toUTCString()}]</AuthenticationErrorDetail></Error>`;
  res.writeHead(403, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-ms-request-id': requestId,
    'x-ms-error-code': 'AuthenticationFailed',
  });
  res.end(body);
}
