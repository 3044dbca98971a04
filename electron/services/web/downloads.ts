/**
 * Files the browser-mode page may download: a saved data package, which the page cannot reach
 * by its path (a browser has no access to the disk). A service offers one file at a time; the
 * page gets an address with a 32-byte random token, valid for a while, and the bridge serves
 * only offered files under it (electron/rpc/wsBridge.ts). Nothing else on disk can be named.
 */
import { randomBytes } from 'node:crypto';

export const DOWNLOAD_PATH = '/download/';
/** An offer lasts long enough to click its link after a long build, not for ever. */
const OFFER_MS = 30 * 60 * 1000;
/** Offers kept at most (the oldest go first). */
const MAX_OFFERS = 64;

export interface DownloadOffer {
  readonly path: string;
  /** The name the browser saves it under. */
  readonly name: string;
  readonly contentType: string;
  readonly expiresAt: number;
}

export class DownloadOffers {
  readonly #offers = new Map<string, DownloadOffer>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Offers a file; returns the address (path and token) the page links to. */
  offer(path: string, name: string, contentType: string): string {
    this.#prune();
    const token = randomBytes(32).toString('base64url');
    this.#offers.set(token, { path, name, contentType, expiresAt: this.now() + OFFER_MS });
    while (this.#offers.size > MAX_OFFERS) {
      const oldest = this.#offers.keys().next().value;
      if (oldest === undefined) break;
      this.#offers.delete(oldest);
    }
    return `${DOWNLOAD_PATH}${token}`;
  }

  /** The offer behind an address path, or null (unknown, malformed or expired token). */
  find(urlPath: string): DownloadOffer | null {
    if (!urlPath.startsWith(DOWNLOAD_PATH)) return null;
    const token = urlPath.slice(DOWNLOAD_PATH.length);
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const offer = this.#offers.get(token);
    if (!offer) return null;
    if (offer.expiresAt <= this.now()) {
      this.#offers.delete(token);
      return null;
    }
    return offer;
  }

  #prune(): void {
    const now = this.now();
    for (const [token, offer] of this.#offers) if (offer.expiresAt <= now) this.#offers.delete(token);
  }
}

/** A Content-Disposition header for a file name of any script (RFC 6266 / RFC 5987). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
