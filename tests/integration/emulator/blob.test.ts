import { BlobServiceClient, BlockBlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURITE_ACCOUNT, startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { appToken, dmfAction } from '../../support/emulatorHttp';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true }, sasLifetimeSeconds: 120 });
  token = await appToken(emulator);
});
afterAll(async () => {
  await emulator?.stop();
});

async function writeUrl(name: string): Promise<{ BlobId: string; BlobUrl: string }> {
  const res = await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: name });
  expect(res.status).toBe(200);
  expect(res.body['@odata.context']).toBe(`${emulator.baseUrl}/data/$metadata#Edm.String`);
  // The value is a JSON string that holds JSON: decoded twice.
  expect(typeof res.body.value).toBe('string');
  return JSON.parse(res.body.value as string) as { BlobId: string; BlobUrl: string };
}

const put = (url: string, body: string) =>
  fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body });

describe('GetAzureWriteUrl and blob storage (Azurite)', () => {
  it('hands out a write-only SAS URL that takes a PUT with x-ms-blob-type: BlockBlob', async () => {
    const { BlobId, BlobUrl } = await writeUrl('Import_0001.zip');
    expect(BlobId).toMatch(/^\{[0-9A-F-]{36}\}$/);
    expect(BlobUrl).toContain('/dmf/Import_0001.zip?');
    expect(new URL(BlobUrl).searchParams.get('sp')).toBe('w');
    const upload = await put(BlobUrl, 'package bytes');
    expect(upload.status).toBe(201);
    // Write-only: reading back with the same SAS is refused by Azurite.
    expect((await fetch(BlobUrl)).status).toBe(403);
  });

  it('works with the Azure SDK block upload (the services engineer uses this)', async () => {
    const { BlobUrl } = await writeUrl('sdk-upload.zip');
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    data.write('first block', 0);
    data.write('last block', data.length - 10);
    await new BlockBlobClient(BlobUrl).uploadData(data, { blockSize: 1024 * 1024, maxSingleShotSize: 1024 * 1024 });
    // Committed as three blocks, byte for byte (read with the account key: the SAS is write-only).
    const blob = new BlobServiceClient(
      emulator.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, emulator.blobAccountKey),
    )
      .getContainerClient('dmf')
      .getBlockBlobClient('sdk-upload.zip');
    const blocks = await blob.getBlockList('committed');
    expect(blocks.committedBlocks).toHaveLength(3);
    expect((await blob.downloadToBuffer()).equals(data)).toBe(true);
  });

  it("expires SAS URLs on the emulator clock with Azure's 403 AuthenticationFailed", async () => {
    const { BlobUrl } = await writeUrl('late.zip');
    emulator.clock.advance(121_000);
    const res = await put(BlobUrl, 'too late');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    expect(await res.text()).toContain('<Code>AuthenticationFailed</Code>');
  });

  it('expires every issued SAS early on the fault, and resets uploads on the fault', async () => {
    const { BlobUrl } = await writeUrl('early.zip');
    emulator.setFaults({ expireSas: true });
    expect((await put(BlobUrl, 'x')).status).toBe(403);
    const { BlobUrl: fresh } = await writeUrl('early.zip');
    emulator.setFaults({ uploadResets: { count: 1, afterBytes: 10 } });
    await expect(put(fresh, 'y'.repeat(100_000))).rejects.toThrow();
    expect((await put(fresh, 'z')).status).toBe(201);
  });

  it('refuses bad file names and non-string parameters the way OData does', async () => {
    expect((await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: '' })).status).toBe(500);
    const wrongType = await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.innererror.message).toContain('Edm.String');
    const missing = await dmfAction(emulator, token, 'GetAzureWriteUrl', {});
    expect(missing.status).toBe(400);
    const malformed = await dmfAction(emulator, token, 'GetAzureWriteUrl', null, { raw: '{"uniqueFileName":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBeDefined();
    const huge = await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: 'x'.repeat(2 * 1024 * 1024) });
    // Under IIS's 30,000,000 bytes the body is read; the action refuses the name itself.
    expect(huge.status).toBe(500);
    expect(huge.body.error.innererror.message).toContain('is not a valid blob name');
  });

  it('deletes blobs seven days (emulator time) after they were written', async () => {
    const { BlobUrl } = await writeUrl('retained.zip');
    expect((await put(BlobUrl, 'kept for a week')).status).toBe(201);
    const blob = new BlobServiceClient(
      emulator.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT, emulator.blobAccountKey),
    )
      .getContainerClient('dmf')
      .getBlobClient('retained.zip');
    const exists = () => blob.exists();
    emulator.clock.advance(6 * 24 * 3600_000);
    expect(await exists()).toBe(true);
    emulator.clock.advance(2 * 24 * 3600_000);
    // The clean-up runs when the clock moves, in the background: waited for, not slept on.
    await expect.poll(exists, { timeout: 30_000 }).toBe(false);
  });

  it('issues SAS URLs that work when the emulator clock runs hours ahead of the wall clock', async () => {
    emulator.clock.advance(3 * 3600_000);
    token = await appToken(emulator);
    const { BlobUrl } = await writeUrl('ahead.zip');
    expect((await put(BlobUrl, 'written in the future')).status).toBe(201);
  });
});
