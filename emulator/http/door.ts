import type { IncomingMessage } from 'node:http';

/**
 * The emulator's locked door, as every local server of the workbench has one: a web page the
 * consultant visits must not reach it through DNS rebinding (a foreign name resolving to
 * 127.0.0.1) or a cross-site form or fetch. So a request is served only when
 *  - its Host is 127.0.0.1, localhost or [::1] with the server's own port (http or https), and
 *  - it has no Origin, or the Origin is the emulator itself (a page it served, e.g. the consent page).
 * No CORS headers are ever sent, so browsers keep cross-origin answers from scripts anyway.
 */
export type DoorRefusal = { readonly status: 400 | 403; readonly message: string };

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host[:port]` → [hostname, port]; the hostname lower case, IPv6 in brackets. */
function splitHost(host: string): [string, string] {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return m ? [m[1] ?? '', m[2] ?? ''] : ['', ''];
}

export function isOwnHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const [name, p] = splitHost(host);
  return LOOPBACK_NAMES.has(name) && p === String(port);
}

export function checkDoor(req: IncomingMessage, port: number): DoorRefusal | null {
  if (!isOwnHost(req.headers.host, port)) {
    // HTTP.sys' answer to a host name it does not serve.
    return {
      status: 400,
      message: `Bad Request - Invalid Hostname: this emulator answers only to 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const u = URL.canParse(origin) ? new URL(origin) : null;
    const own = u !== null && (u.protocol === 'http:' || u.protocol === 'https:') && isOwnHost(u.host, port);
    if (!own) {
      return {
        status: 403,
        message: `Requests from web pages of other sites (Origin ${origin.slice(0, 100)}) are refused: call the emulator from a program, not from a browser page.`,
      };
    }
  }
  return null;
}
