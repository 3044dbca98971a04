// `npm run bench -- upload [MB]`: block upload and streamed download of a package-sized file
// through the emulator's GetAzureWriteUrl SAS URL to Azurite, as the import job does it (through
// Node's fetch, the CLI's network port).
import { BlobSASPermissions, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { AZURITE_ACCOUNT, startEmulator } from '../../emulator';
import { uploadBlockBlob } from '../../electron/services/blob/blockUpload';
import { downloadBlob } from '../../electron/services/blob/download';
import { DmfClient } from '../../electron/services/dmf/dmfClient';
import { DmfHttp } from '../../electron/services/dmf/dmfHttp';
import { silentLogger } from '../../electron/services/logging/logger';
import { nodeFetch } from '../../electron/services/net/fetch';
import { appToken } from '../support/emulatorHttp';

export async function run(args: string[]): Promise<number> {
  const megabytes = Number(args[0] ?? 256);
  const dir = await mkdtemp(join(tmpdir(), 'dmfw-bench-upload-'));
  const emulator = await startEmulator({ sasLifetimeSeconds: 3600 });
  try {
    const file = join(dir, 'package.zip');
    const out = createWriteStream(file);
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < megabytes; i++) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    const token = await appToken(emulator);
    const http = new DmfHttp({
      fetch,
      logger: silentLogger,
      environmentName: 'bench',
      tokens: { accessToken: async () => token },
    });
    const dmf = new DmfClient(http, emulator.baseUrl);
    for (const concurrency of [4, 2, 1]) {
      const name = `bench-${concurrency}.zip`;
      const started = performance.now();
      const outcome = await uploadBlockBlob({
        file,
        writeUrl: async () => (await dmf.getAzureWriteUrl(name)).blobUrl,
        uploadKey: name,
        concurrency,
        logger: silentLogger,
        fetch: nodeFetch,
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `upload  ${megabytes} MB, ${outcome.blockCount} blocks of 8 MB, concurrency ${concurrency}: ${seconds.toFixed(2)} s, ${(megabytes / seconds).toFixed(1)} MB/s`,
      );
    }
    const service = new BlobServiceClient(
      emulator.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, emulator.blobAccountKey),
    );
    const readUrl = await service
      .getContainerClient('dmf')
      .getBlockBlobClient('bench-1.zip')
      .generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3600_000) });
    const started = performance.now();
    await downloadBlob(async () => readUrl, { file: join(dir, 'down.zip'), fetch: nodeFetch });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `download ${megabytes} MB streamed to disk: ${seconds.toFixed(2)} s, ${(megabytes / seconds).toFixed(1)} MB/s`,
    );
    return 0;
  } finally {
    await emulator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
