import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * IIS request filtering, in front of every F&O endpoint: a body over maxAllowedContentLength
 * (30,000,000 bytes by default [DOC: IIS requestLimits]) is answered 404.13 "Content Length Too
 * Large" before the application reads it. [INFER] F&O keeps IIS's default for /data.
 */
export const IIS_MAX_CONTENT_LENGTH = 30_000_000;

/** True (and answered) when the declared Content-Length is over the limit: nothing is read. */
export function refusedByRequestFiltering(req: IncomingMessage, res: ServerResponse): boolean {
  const declared = Number(req.headers['content-length']);
  if (!Number.isFinite(declared) || declared <= IIS_MAX_CONTENT_LENGTH) return false;
  iisTooLarge(req, res);
  return true;
}

export function iisTooLarge(req: IncomingMessage, res: ServerResponse): number {
  const body =
    'HTTP Error 404.13 - Not Found. The request filtering module is configured to deny a request that exceeds the request content length. ' +
    `The limit is ${IIS_MAX_CONTENT_LENGTH} bytes (maxAllowedContentLength).`;
  // Answer, then close: the rest of the body is never read.
  res.writeHead(404, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body, () => req.socket.destroy());
  return 404;
}
