import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * One loopback port that speaks both HTTP and HTTPS: the environment URL stays
 * `http://127.0.0.1:<port>` (what the workbench and the tests use), and `https://127.0.0.1:<port>`
 * is the same service for clients that insist on https (MSAL, azure-identity: an authority must
 * be https). The first byte of a connection tells them apart: 0x16 opens a TLS handshake record.
 */
export interface DualListener {
  readonly port: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const TLS_HANDSHAKE = 0x16;

export async function listenHttpAndHttps(options: {
  readonly port: number;
  readonly host: string;
  readonly tls: { readonly key: string; readonly cert: string };
  readonly handler: Handler;
}): Promise<DualListener> {
  const http = createHttpServer(options.handler);
  const https = createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, options.handler);
  const sockets = new Set<Socket>();
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('readable', function first() {
      const head = socket.read(1) as Buffer | null;
      if (head === null) {
        socket.once('readable', first);
        return;
      }
      socket.unshift(head);
      (head[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, options.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  return {
    port: (tcp.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      http.closeAllConnections();
      https.closeAllConnections();
      await closed;
    },
  };
}
