import { expect } from 'vitest';
import type { Emulator } from '../../emulator';

/**
 * Plain-HTTP helpers for emulator tests: no project client code, just fetch and the documented
 * request shapes (dmf-reference.md §2, §3).
 */
export async function appToken(emulator: Emulator): Promise<string> {
  const res = await fetch(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      scope: `${emulator.baseUrl}/.default`,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Parsed JSON as tests read it (shapes vary by action). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index arbitrary JSON
export type Json = any;

export const ACTION_PATH = '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.';

/** POSTs a DMF action; returns the status and the parsed body. */
export async function dmfAction(
  emulator: Emulator,
  token: string,
  action: string,
  body: unknown,
  options: { raw?: string; basePath?: string } = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${emulator.baseUrl}${options.basePath ?? ''}${ACTION_PATH}${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** GetAzureWriteUrl, then PUT the bytes as a block blob (201); returns the URL to import from. */
export async function uploadPackage(emulator: Emulator, token: string, name: string, bytes: Buffer): Promise<string> {
  const res = await dmfAction(emulator, token, 'GetAzureWriteUrl', { uniqueFileName: name });
  const { BlobUrl } = JSON.parse(res.body.value as string) as { BlobUrl: string };
  const put = await fetch(BlobUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: bytes });
  if (put.status !== 201) throw new Error(`upload of ${name}: ${put.status} ${await put.text()}`);
  return BlobUrl;
}

/**
 * Polls GetExecutionSummaryStatus until it leaves NotRun/Executing; returns the final status. A
 * budget fit for a loaded 2-core machine (the default 1 s timed out with the emulator's job queued).
 */
export async function pollStatus(emulator: Emulator, token: string, executionId: string): Promise<string> {
  let status = '';
  await expect
    .poll(
      async () => {
        status = (await dmfAction(emulator, token, 'GetExecutionSummaryStatus', { executionId })).body.value as string;
        return ['NotRun', 'Executing'].includes(status);
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(false);
  return status;
}

/** An admin API request with the run's admin token (bodies are JSON: see emulator/admin.ts). */
export function adminFetch(
  emulator: Pick<Emulator, 'adminUrl' | 'adminToken'>,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  return fetch(`${emulator.adminUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${emulator.adminToken}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}
