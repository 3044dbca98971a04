import { protocol } from 'electron';
import { HARDENING_HEADERS, contentSecurityPolicy, createNonce } from '../services/web/csp';
import { loadRendererAsset } from '../services/web/rendererAssets';
import { APP_HOST, APP_SCHEME, SECURITY_POLICY } from './security';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...SECURITY_POLICY.schemePrivileges } }]);
}

/** Serves the renderer bundle at app://bundle/ with the CSP response header; nothing else. */
export function serveAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const nonce = createNonce();
    const asset = await loadRendererAsset(rendererRoot, url.pathname, nonce);
    if (!asset) return new Response('Not found', { status: 404 });
    return new Response(asset.body, {
      status: 200,
      headers: {
        'Content-Type': asset.contentType,
        'Content-Security-Policy': contentSecurityPolicy({ styleNonce: nonce }),
        ...HARDENING_HEADERS,
      },
    });
  });
}
