import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

type FetchLike = (
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * An MSAL `system.networkClient` for the workbench's own sign-in to an emulator: the authority is
 * `https://127.0.0.1:<port>/<tenant>`, and the same port also speaks plain http, so requests to the
 * emulator's https origin go over http instead. The app then needs no trust in the emulator's CA
 * (Electron's net.fetch uses the OS store, which does not have it); third-party clients use the
 * https authority as printed, with the CA file. Everything else goes out unchanged.
 * `fetchImpl` lets the app pass its own fetch (Electron net.fetch).
 */
export function createEmulatorNetworkClient(emulatorOrigin: string, fetchImpl: FetchLike = fetch): INetworkModule {
  const port = new URL(emulatorOrigin).port;
  const map = (url: string): string => {
    const u = new URL(url);
    if (u.protocol !== 'https:' || !LOOPBACK.has(u.hostname) || u.port !== port) return url;
    u.protocol = 'http:';
    return u.toString();
  };

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

/** Is this an emulator's sign-in authority (https on a loopback address)? */
export function isEmulatorAuthority(authority: string): boolean {
  try {
    const u = new URL(authority);
    return u.protocol === 'https:' && LOOPBACK.has(u.hostname) && u.port !== '';
  } catch {
    return false;
  }
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

/** The workbench's way in (no CA needed); third-party clients use `emulator.authority` and `emulator.caFile`. */
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
      knownAuthorities: [new URL(emulator.authority).host],
      authorityMetadata: JSON.stringify(emulator.authorityMetadata),
    },
    system: { networkClient: createEmulatorNetworkClient(emulator.baseUrl, fetchImpl) },
  };
}
