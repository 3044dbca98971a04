import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Envelope, WireCall, WireEvent, WireReply } from '../../shared/api/protocol';
import { WS_MAX_MESSAGE_BYTES, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/api/protocol';
import type { Logger } from '../services/logging/logger';
import { HARDENING_HEADERS, contentSecurityPolicy, createNonce } from '../services/web/csp';
import { loadRendererAsset } from '../services/web/rendererAssets';
import { DOWNLOAD_PATH, attachmentHeader } from '../services/web/downloads';
import type { DownloadOffers } from '../services/web/downloads';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './eventHub';

export const RPC_PATH = '/rpc';
type OutFrame = WireReply | WireEvent | { id: null; envelope: Envelope<unknown> };
const LOOPBACK = '127.0.0.1';
/** Calls one connection may have in flight; more is a misbehaving client. */
const MAX_PENDING_CALLS = 256;
/**
 * Bytes of frames one connection may have handed to its socket and not yet written. Past it,
 * frames wait as they are, serialised only when the socket has taken the earlier ones: 256 pages
 * asked at once were 256 replies of up to 4 MB, serialised and buffered together.
 */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

export interface BrowserBridge {
  /** The address to open, with the session token in the fragment (never sent to a server). */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface BrowserBridgeOptions {
  readonly dispatcher: Dispatcher;
  readonly hub: EventHub;
  /** Folder of the built renderer; null serves only the RPC endpoint (contract tests). */
  readonly rendererRoot: string | null;
  readonly logger: Logger;
  /** 0 or absent: a free port chosen by the OS. */
  readonly port?: number;
  /** Files the page may download (a saved package); none: no download address is served. */
  readonly downloads?: DownloadOffers;
}

/** Compares in constant time, whatever the lengths: both sides are hashed first. */
function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function offeredToken(req: IncomingMessage): string | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(WS_PROTOCOL)) return null;
  const entry = offered.find((p) => p.startsWith(WS_TOKEN_PREFIX));
  return entry ? entry.slice(WS_TOKEN_PREFIX.length) : null;
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`);
  socket.destroy();
}

function parseCall(data: string): WireCall | { id: number | null; error: string } {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return { id: null, error: 'The message is not JSON.' };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { id: null, error: 'The message is not a call object.' };
  }
  const { id, method, params } = frame as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return { id: null, error: 'The call has no valid id.' };
  }
  if (typeof method !== 'string') return { id, error: 'The call has no method name.' };
  return { id, method, params };
}

/**
 * Browser mode: serves the renderer bundle and a WebSocket carrying the contract's envelopes, on
 * loopback only. Refuses requests whose Host is not this server (DNS rebinding), upgrades whose
 * Origin is not this server (drive-by pages) and upgrades without the 32-byte session token.
 * Sends no CORS headers at all.
 */
export async function startBrowserBridge(options: BrowserBridgeOptions): Promise<BrowserBridge> {
  const token = randomBytes(32).toString('base64url');
  const sockets = new Set<WebSocket>();
  let port = 0;
  const allowedHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);
  const hostAllowed = (req: IncomingMessage) => allowedHosts().includes(req.headers.host ?? '');

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((error) => {
      options.logger.error('Browser-mode request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('Internal error');
    });
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) {
      res
        .writeHead(403, { 'Content-Type': 'text/plain' })
        .end('This server only answers to its own loopback address.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', `http://${req.headers.host}`).pathname;
    if (path.startsWith(DOWNLOAD_PATH)) {
      await serveDownload(req, res, path);
      return;
    }
    if (path === RPC_PATH) {
      res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' }).end('WebSocket upgrade required\n');
      return;
    }
    const nonce = createNonce();
    const asset = options.rendererRoot ? await loadRendererAsset(options.rendererRoot, path, nonce) : null;
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...HARDENING_HEADERS }).end('Not found\n');
      return;
    }
    const wsOrigins = allowedHosts().map((host) => `ws://${host}`);
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.byteLength,
      'Cache-Control': asset.isDocument ? 'no-store' : 'no-cache',
      'Content-Security-Policy': contentSecurityPolicy({ styleNonce: nonce, connectSources: wsOrigins }),
      ...HARDENING_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  /**
   * A file the page was offered (a saved package), by its token. A browser sends no Origin with
   * a link it follows, so the fetch metadata says where the request comes from: only this page
   * (same-origin) or the user (typed, 'none'); a link on another site is refused.
   */
  async function serveDownload(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const text = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...HARDENING_HEADERS };
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (
      (origin !== undefined && !allowedOrigins().includes(origin)) ||
      (site !== undefined && site !== 'same-origin' && site !== 'none')
    ) {
      res.writeHead(403, text).end('Downloads are for the workbench page only.\n');
      return;
    }
    const offer = options.downloads?.find(path) ?? null;
    const info = offer ? await stat(offer.path).catch(() => null) : null;
    if (!offer || !info?.isFile()) {
      res.writeHead(404, text).end('This download is not offered (any more): save the package again.\n');
      return;
    }
    res.writeHead(200, {
      ...HARDENING_HEADERS,
      'Content-Type': offer.contentType,
      'Content-Length': info.size,
      'Content-Disposition': attachmentHeader(offer.name),
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(offer.path);
    stream.on('error', (error) => {
      options.logger.warn('A download stopped', error);
      res.destroy();
    });
    stream.pipe(res);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: WS_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    if (path !== RPC_PATH) return refuseUpgrade(socket, 404, 'Unknown endpoint');
    if (!hostAllowed(req)) return refuseUpgrade(socket, 403, 'Host not allowed');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return refuseUpgrade(socket, 403, 'Origin not allowed');
    const given = offeredToken(req);
    if (given === null || !sameSecret(token, given))
      return refuseUpgrade(socket, 401, 'Session token missing or wrong');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    let inFlight = 0;
    // Bytes handed to the socket and not yet written; frames waiting in order behind them (MAX_UNSENT_BYTES).
    let unsent = 0;
    const waiting: OutFrame[] = [];
    /**
     * Never throws: a frame that cannot be serialised (too big for a string, a value JSON cannot
     * hold) is answered with an error for a call, logged for an event; a send failing because the
     * socket went away is the socket's own error. An exception here was once an unhandled
     * rejection that ended browser mode.
     */
    const send = (frame: OutFrame) => {
      if (ws.readyState !== ws.OPEN) return;
      if (unsent > MAX_UNSENT_BYTES || waiting.length > 0) waiting.push(frame);
      else write(frame);
    };
    const write = (frame: OutFrame) => {
      let text: string;
      try {
        text = JSON.stringify(frame);
      } catch (error) {
        options.logger.warn(
          'Browser-mode frame could not be serialised',
          error instanceof Error ? error.message : error,
        );
        if (!('id' in frame)) return;
        const envelope: Envelope<never> = {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: 'The answer could not be sent to the page. The details are in the workbench log.',
          },
        };
        text = JSON.stringify({ id: frame.id, envelope });
      }
      const bytes = Buffer.byteLength(text);
      unsent += bytes;
      ws.send(text, (error) => {
        unsent -= bytes;
        if (error) options.logger.warn('Browser-mode send failed', error.message);
        while (unsent <= MAX_UNSENT_BYTES && ws.readyState === ws.OPEN) {
          const next = waiting.shift();
          if (next === undefined) break;
          write(next);
        }
      });
    };
    const unsubscribe = options.hub.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', () => {
      sockets.delete(ws);
      waiting.length = 0;
      unsubscribe();
    });
    ws.on('error', (error) => options.logger.warn('Browser-mode socket error', error));
    ws.on('message', (data, isBinary) => {
      const parsed = isBinary
        ? ({ id: null, error: 'Binary messages are not accepted.' } as const)
        : parseCall(data.toString());
      if ('error' in parsed) {
        const envelope: Envelope<never> = { ok: false, error: { code: 'INVALID_REQUEST', message: parsed.error } };
        send({ id: parsed.id, envelope } as WireReply);
        return;
      }
      if (inFlight >= MAX_PENDING_CALLS) {
        const message = `Too many calls in flight (more than ${MAX_PENDING_CALLS}).`;
        send({ id: parsed.id, envelope: { ok: false, error: { code: 'INVALID_REQUEST', message } } });
        return;
      }
      inFlight++;
      void options.dispatcher
        .call(parsed.method, parsed.params, { transport: 'websocket' })
        .then((envelope) => send({ id: parsed.id, envelope }))
        .catch((error: unknown) => options.logger.error('Browser-mode call failed', error))
        .finally(() => inFlight--);
    });
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The browser-mode server has no TCP address.');
  port = address.port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    url: `${origin}/#tkn=${token}`,
    origin,
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
