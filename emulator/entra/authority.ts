import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorClock } from '../clock';
import { escapeHtml, readBody, sendJson, sendText } from '../http/http';
import { base64url, createSigningKey, signJwt, verifyJwt } from './jwt';

/**
 * A small Entra ID (v2.0 endpoints) for the emulator: OpenID configuration, authorize (a consent
 * page that form-posts `code`+`state` to the loopback redirect_uri, as MSAL node expects), token
 * (authorization_code with PKCE S256, refresh_token, client_credentials) and JWKS.
 *
 * MSAL refuses non-https authorities, so the authority is a fixed https host that is never resolved
 * (AUTHORITY_HOST); MSAL reaches the emulator through a network client that maps that host to the
 * emulator's http origin (./networkClient.ts). The authorize endpoint in the metadata is the real
 * loopback http URL, because a system browser has to open it.
 */
export const AUTHORITY_HOST = 'login.emulator.dmfw.test';

export interface EmulatorUser {
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
}

export interface AuthorityOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The emulator's own origin, e.g. http://127.0.0.1:51234 (where the authority is served). */
  readonly origin: string;
  readonly clock: EmulatorClock;
  readonly tokenLifetimeSeconds: number;
  readonly user: EmulatorUser;
}

export interface AuthorityMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly end_session_endpoint: string;
  readonly jwks_uri: string;
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export interface EntraAuthority {
  /** https://login.emulator.dmfw.test/<tenant>/ (what MSAL is configured with). */
  readonly authority: string;
  readonly metadata: AuthorityMetadata;
  /** Serves the authority's paths; false when the path is not the authority's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Checks a bearer token the way an F&O resource does: signature, issuer, audience, lifetime. */
  checkAccessToken(authorization: string | undefined, audience: string): TokenCheck;
  /** Fault: every token issued so far stops working now (early token expiry). */
  expireIssuedTokens(): void;
  /** Lifetime of the tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const CODE_LIFETIME_MS = 10 * 60_000;
const REFRESH_LIFETIME_MS = 90 * 24 * 3600_000;
const CLOCK_SKEW_S = 300;
const APP_OID = '9e1b7c4a-5f0d-4a8e-b6c2-7d3f1a2e4b50';

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: string[];
  readonly challenge: string | null;
  readonly nonce: string | null;
  readonly user: EmulatorUser;
  readonly expiresAt: number;
}

interface RefreshGrant {
  readonly clientId: string;
  readonly user: EmulatorUser;
  readonly expiresAt: number;
}

/** Entra's error body: MSAL reads error, error_description, error_codes. */
function entraError(res: ServerResponse, status: number, error: string, code: number, description: string): void {
  const traceId = randomUUID();
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: randomUUID(),
  });
}

/** The resource of the first resource scope (`https://env/.default` → `https://env`). */
export function resourceOfScopes(scopes: readonly string[]): string | null {
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope) || !scope.includes('://')) continue;
    const slash = scope.lastIndexOf('/');
    if (slash > scope.indexOf('://') + 2) return scope.slice(0, slash);
  }
  return null;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    // Entra accepts any port on a loopback redirect URI registered for a public client.
    return (
      u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]')
    );
  } catch {
    return false;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createEntraAuthority(options: AuthorityOptions): EntraAuthority {
  const { tenantId, clientId, clientSecret, origin, clock, user } = options;
  let tokenLifetime = options.tokenLifetimeSeconds;
  // The ids (uti) of the access tokens still honoured: the early-expiry fault empties it.
  const liveTokens = new Set<string>();
  const key = createSigningKey();
  const authority = `https://${AUTHORITY_HOST}/${tenantId}/`;
  const issuerV2 = `https://${AUTHORITY_HOST}/${tenantId}/v2.0`;
  // F&O accepts v1 access tokens from Entra (iss = sts.windows.net/<tid>/); so do we.
  const issuerV1 = `https://sts.windows.net/${tenantId}/`;
  const metadata: AuthorityMetadata = {
    issuer: issuerV2,
    authorization_endpoint: `${origin}/${tenantId}/oauth2/v2.0/authorize`,
    token_endpoint: `https://${AUTHORITY_HOST}/${tenantId}/oauth2/v2.0/token`,
    end_session_endpoint: `https://${AUTHORITY_HOST}/${tenantId}/oauth2/v2.0/logout`,
    jwks_uri: `https://${AUTHORITY_HOST}/${tenantId}/discovery/v2.0/keys`,
  };
  const codes = new Map<string, PendingCode>();
  const refreshGrants = new Map<string, RefreshGrant>();
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);

  function accessToken(resource: string | null, subject: EmulatorUser | null, scopes: readonly string[]): string {
    const iat = nowSeconds();
    const common = {
      aud: resource ?? '00000003-0000-0000-c000-000000000000',
      iss: issuerV1,
      iat,
      nbf: iat,
      exp: iat + tokenLifetime,
      appid: clientId,
      appidacr: subject ? '0' : '1',
      tid: tenantId,
      ver: '1.0',
      uti: randomBytes(16).toString('base64url'),
    };
    liveTokens.add(common.uti);
    if (!subject) {
      return signJwt({ ...common, oid: APP_OID, sub: APP_OID, idtyp: 'app', roles: [] }, key);
    }
    const scp = scopes.filter((s) => !OIDC_SCOPES.has(s)).map((s) => s.slice(s.lastIndexOf('/') + 1));
    return signJwt(
      {
        ...common,
        oid: subject.oid,
        sub: subject.oid,
        upn: subject.upn,
        unique_name: subject.upn,
        name: subject.name,
        scp: scp.includes('.default') || scp.length === 0 ? 'user_impersonation' : scp.join(' '),
        idtyp: 'user',
      },
      key,
    );
  }

  function userTokenResponse(
    res: ServerResponse,
    grant: { clientId: string; user: EmulatorUser; scopes: string[]; nonce: string | null },
  ): void {
    const iat = nowSeconds();
    const resourceScopes = grant.scopes.filter((s) => !OIDC_SCOPES.has(s));
    const refresh = randomBytes(32).toString('base64url');
    refreshGrants.set(refresh, {
      clientId: grant.clientId,
      user: grant.user,
      expiresAt: clock.now() + REFRESH_LIFETIME_MS,
    });
    const idToken = signJwt(
      {
        aud: grant.clientId,
        iss: issuerV2,
        iat,
        nbf: iat,
        exp: iat + 3600,
        oid: grant.user.oid,
        sub: grant.user.oid,
        tid: tenantId,
        name: grant.user.name,
        preferred_username: grant.user.upn,
        ver: '2.0',
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
      },
      key,
    );
    sendJson(
      res,
      200,
      {
        token_type: 'Bearer',
        scope: resourceScopes.join(' '),
        expires_in: tokenLifetime,
        ext_expires_in: tokenLifetime,
        access_token: accessToken(resourceOfScopes(grant.scopes), grant.user, grant.scopes),
        refresh_token: refresh,
        id_token: idToken,
        // AAD mode builds homeAccountId (<oid>.<tid>) from client_info.
        client_info: base64url(JSON.stringify({ uid: grant.user.oid, utid: tenantId })),
      },
      { 'cache-control': 'no-store' },
    );
  }

  function authorize(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== clientId) {
      sendText(
        res,
        400,
        page(
          'Sign-in error',
          `AADSTS700016: Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory of the Local emulator tenant.`,
        ),
        'text/html; charset=utf-8',
      );
      return;
    }
    if (!isLoopbackRedirect(redirectUri)) {
      sendText(
        res,
        400,
        page(
          'Sign-in error',
          `AADSTS50011: The redirect URI '${redirectUri}' does not match the redirect URIs configured for the application (http://localhost, any port).`,
        ),
        'text/html; charset=utf-8',
      );
      return;
    }
    const fields: Record<string, string> = { state: q.get('state') ?? '' };
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge');
    if (q.get('response_type') !== 'code') {
      Object.assign(fields, {
        error: 'unsupported_response_type',
        error_description: 'AADSTS700054: response_type must be code.',
      });
    } else if (challenge && method !== 'S256') {
      Object.assign(fields, {
        error: 'invalid_request',
        error_description: 'AADSTS501491: code_challenge_method must be S256.',
      });
    } else {
      const code = randomBytes(32).toString('base64url');
      const hint = q.get('login_hint');
      const signedIn: EmulatorUser = hint ? { ...user, upn: hint } : user;
      codes.set(code, {
        clientId,
        redirectUri,
        scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
        challenge,
        nonce: q.get('nonce'),
        user: signedIn,
        expiresAt: clock.now() + CODE_LIFETIME_MS,
      });
      Object.assign(fields, { code, client_info: base64url(JSON.stringify({ uid: signedIn.oid, utid: tenantId })) });
    }
    // Only form_post is offered: it is what MSAL node sends, and it keeps the code out of URLs.
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const body =
      `<p>Sign in to the <b>Local emulator</b> as <b>${escapeHtml(fields.code ? (q.get('login_hint') ?? user.upn) : '')}</b>.</p>` +
      `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<button type="submit">Continue</button></form>` +
      '<script>document.forms[0].submit()</script>';
    sendText(res, 200, page('Local emulator sign-in', body), 'text/html; charset=utf-8', {
      'cache-control': 'no-store',
    });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic[1] ?? '', 'base64')
          .toString('utf8')
          .split(':')
      : [];
    const requestClient = form.get('client_id') ?? basicId ?? '';
    if (requestClient !== clientId) {
      entraError(
        res,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${requestClient}' was not found in the directory.`,
      );
      return;
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!code || code.expiresAt < clock.now()) {
          entraError(
            res,
            400,
            'invalid_grant',
            70008,
            'The provided authorization code or refresh token has expired or was already used.',
          );
          return;
        }
        if (code.redirectUri !== form.get('redirect_uri')) {
          entraError(
            res,
            400,
            'invalid_grant',
            50148,
            'The redirect_uri does not match the one used to obtain the authorization code.',
          );
          return;
        }
        if (code.challenge) {
          const verifier = form.get('code_verifier') ?? '';
          const computed = createHash('sha256').update(verifier).digest('base64url');
          if (!safeEqual(computed, code.challenge)) {
            entraError(
              res,
              400,
              'invalid_grant',
              501481,
              'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
            );
            return;
          }
        }
        userTokenResponse(res, {
          clientId,
          user: code.user,
          scopes: scopes.length ? scopes : code.scopes,
          nonce: code.nonce,
        });
        return;
      }
      case 'refresh_token': {
        const grant = refreshGrants.get(form.get('refresh_token') ?? '');
        if (!grant || grant.expiresAt < clock.now()) {
          entraError(res, 400, 'invalid_grant', 700082, 'The refresh token has expired or is invalid. Sign in again.');
          return;
        }
        userTokenResponse(res, { clientId, user: grant.user, scopes, nonce: null });
        return;
      }
      case 'client_credentials': {
        const secret = form.get('client_secret') ?? basicSecret ?? '';
        if (!safeEqual(secret, clientSecret)) {
          entraError(
            res,
            401,
            'invalid_client',
            7000215,
            'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.',
          );
          return;
        }
        const resource = resourceOfScopes(scopes);
        if (!resource || !scopes.some((s) => s.endsWith('/.default'))) {
          entraError(
            res,
            400,
            'invalid_scope',
            1002012,
            'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
          );
          return;
        }
        sendJson(
          res,
          200,
          {
            token_type: 'Bearer',
            expires_in: tokenLifetime,
            ext_expires_in: tokenLifetime,
            access_token: accessToken(resource, null, scopes),
          },
          { 'cache-control': 'no-store' },
        );
        return;
      }
      default:
        entraError(
          res,
          400,
          'unsupported_grant_type',
          70003,
          `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`,
        );
    }
  }

  return {
    authority,
    metadata,
    async handle(req, res, url) {
      // /<tenant>/… ; "organizations" and "common" resolve to the one emulator tenant.
      const m =
        /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|\.well-known\/openid-configuration|oauth2\/v2\.0\/authorize|oauth2\/v2\.0\/token|oauth2\/v2\.0\/logout|discovery\/v2\.0\/keys)$/.exec(
          url.pathname,
        );
      const [, tenant = '', endpoint = ''] = m ?? [];
      if (!m || ![tenantId, 'organizations', 'common'].includes(tenant)) return false;
      if (endpoint.endsWith('openid-configuration')) {
        sendJson(res, 200, {
          ...metadata,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          response_types_supported: ['code'],
          response_modes_supported: ['form_post', 'query'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          tenant_region_scope: 'NA',
          cloud_instance_name: 'emulator.dmfw.test',
        });
      } else if (endpoint === 'discovery/v2.0/keys') {
        sendJson(res, 200, { keys: [key.jwk] });
      } else if (endpoint === 'oauth2/v2.0/authorize' && req.method === 'GET') {
        authorize(res, url);
      } else if (endpoint === 'oauth2/v2.0/token' && req.method === 'POST') {
        await token(req, res);
      } else if (endpoint === 'oauth2/v2.0/logout') {
        sendText(
          res,
          200,
          page('Signed out', '<p>You signed out of the Local emulator.</p>'),
          'text/html; charset=utf-8',
        );
      } else {
        sendText(res, 405, 'Method not allowed');
      }
      return true;
    },
    checkAccessToken(authorization, audience) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) return { ok: false, reason: 'No bearer token: send Authorization: Bearer <access token>.' };
      const checked = verifyJwt(m?.[1] ?? '', [key]);
      if (!checked.ok) return checked;
      const c = checked.claims;
      if (c.iss !== issuerV1 && c.iss !== issuerV2)
        return { ok: false, reason: `The token issuer ${String(c.iss)} is not trusted.` };
      if (typeof c.aud !== 'string' || trimSlash(c.aud) !== trimSlash(audience)) {
        return {
          ok: false,
          reason: `The token audience ${String(c.aud)} is not this environment (${audience}). Request the scope ${trimSlash(audience)}/.default.`,
        };
      }
      const now = nowSeconds();
      if (typeof c.exp !== 'number' || c.exp <= now) return { ok: false, reason: 'The token has expired.' };
      if (typeof c.nbf === 'number' && c.nbf > now + CLOCK_SKEW_S)
        return { ok: false, reason: 'The token is not valid yet.' };
      if (typeof c.uti !== 'string' || !liveTokens.has(c.uti)) return { ok: false, reason: 'The token has expired.' };
      return { ok: true, claims: c };
    },
    expireIssuedTokens() {
      liveTokens.clear();
    },
    setTokenLifetime(seconds) {
      tokenLifetime = seconds;
    },
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
