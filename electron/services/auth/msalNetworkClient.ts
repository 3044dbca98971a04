import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { FetchLike } from '../net/fetch';
import { readReplyText } from '../net/replyBody';

/** MSAL gives up on an authority that does not answer in this time (its own default is none). */
const TIMEOUT_MS = 60_000;
/** Discovery documents and token replies are a few KB; a key set a few tens. */
const MAX_AUTHORITY_REPLY_BYTES = 4 * 1024 * 1024;

/**
 * MSAL's `system.networkClient` on the workbench's network port: in the app that is Electron's
 * net.fetch, so sign-in goes through the system proxy and trusts the OS certificate store.
 */
export function msalNetworkClient(fetch: FetchLike): INetworkModule {
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    const response = await fetch(url, {
      method,
      headers: options?.headers,
      body: options?.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const text = await readReplyText(response, 'The sign-in authority', MAX_AUTHORITY_REPLY_BYTES);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // MSAL copes with a non-JSON body (it reports the status).
    }
    return { status: response.status, headers, body: body as T };
  }
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
