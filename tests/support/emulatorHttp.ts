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
