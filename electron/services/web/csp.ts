import { randomBytes } from 'node:crypto';

/**
 * The Content-Security-Policy sent as a response header with the renderer, in the desktop app
 * (app:// protocol) and in browser mode. No 'unsafe-inline' anywhere: ag-grid injects its
 * <style> elements with the per-response nonce (its `styleNonce` option).
 */
export function contentSecurityPolicy(options: { styleNonce: string; connectSources?: readonly string[] }): string {
  const connect = ["'self'", ...(options.connectSources ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${options.styleNonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The placeholder in renderer/index.html that each response replaces with its nonce. */
export const STYLE_NONCE_PLACEHOLDER = '__DMFW_STYLE_NONCE__';

/** Headers sent with every renderer response, whatever the transport. */
export const HARDENING_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
});
