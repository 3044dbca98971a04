import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AUTHORITY_HOST } from './authority';

type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

/**
 * An MSAL `system.networkClient` that sends requests for the emulator's fixed https authority host
 * (never resolved) to the emulator's http origin, and everything else unchanged. The app's Local
 * emulator environment and the tests use this one helper, so both run the same MSAL code path.
 * `fetchImpl` lets the app pass its own fetch (Electron net.fetch).
 */
export function createEmulatorNetworkClient(emulatorOrigin: string, fetchImpl: FetchLike = fetch): INetworkModule {
  const prefix = `https://${AUTHORITY_HOST}/`;
  const origin = emulatorOrigin.replace(/\/+$/, '');
  const map = (url: string): string => (url.startsWith(prefix) ? `${origin}/${url.slice(prefix.length)}` : url);

  async function send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await fetchImpl(map(url), {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.status, headers, body: body as T };
  }

  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** What an MSAL client needs to talk to one running emulator (spread into its Configuration). */
export interface EmulatorMsalSettings {
  readonly auth: {
    readonly clientId: string;
    readonly authority: string;
    readonly knownAuthorities: string[];
    readonly authorityMetadata: string;
  };
  readonly system: { readonly networkClient: INetworkModule };
}

export function emulatorMsalSettings(
  emulator: {
    readonly clientId: string;
    readonly authority: string;
    readonly baseUrl: string;
    readonly authorityMetadata: object;
  },
  fetchImpl?: FetchLike,
): EmulatorMsalSettings {
  return {
    auth: {
      clientId: emulator.clientId,
      authority: emulator.authority,
      knownAuthorities: [AUTHORITY_HOST],
      authorityMetadata: JSON.stringify(emulator.authorityMetadata),
    },
    system: { networkClient: createEmulatorNetworkClient(emulator.baseUrl, fetchImpl) },
  };
}
