/**
 * The one network port every remote call goes through (F&O, the connector, the authority, blob
 * downloads). Node's global fetch in the CLI and tests; Electron's `net.fetch` in the app, so
 * that system proxies, PAC files and the OS certificate store apply (stack-notes §2.3).
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export const nodeFetch: FetchLike = (input, init) => fetch(input, init);

/** What a request body may be (the DOM's BodyInit, which Node's types do not declare globally). */
export type RequestBody = NonNullable<RequestInit['body']>;
