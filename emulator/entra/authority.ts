import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml, readBody, sendJson, sendText } from '../http/http';
import { CLIENT_ASSERTION_TYPE, checkClientAssertion } from './clientAssertion';
import { base64url, createSigningKey, signJwt, verifyJwt } from './jwt';
import type { RegisteredCertificate } from './tls';

/**
 * A small Entra ID for the emulator, served at `https://127.0.0.1:<port>/<tenant>` (and on the
 * same port over http): OpenID configuration (v2.0 and v1), authorize (a consent page that
 * form-posts `code`+`state` to the loopback redirect_uri, as MSAL expects), the v2.0 token
 * endpoint (authorization_code with PKCE S256, refresh_token, client_credentials with a secret or
 * a certificate assertion, password for the demo user) and the v1 one (`resource=` instead of
 * `scope=`, as Microsoft's samples and RIS call it), and JWKS. Errors are Entra's: an AADSTS code
 * and text [DOC: reference-error-codes].
 *
 * Time is the wall clock, never the emulator clock: `--speed` moves DMF processing only, and
 * clients cache tokens by `expires_in` of real seconds.
 */
export interface EmulatorUser {
  readonly oid: string;
  readonly upn: string;
  readonly name: string;
}

export interface AuthorityOptions {
  readonly tenantId: string;
  /** The tenant's domain (`contoso.emulator`): accepted in place of the tenant id, as Entra does. */
  readonly tenantDomain: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Certificates registered on the app (client credentials with a certificate assertion). */
  readonly certificates: readonly RegisteredCertificate[];
  /** The port the authority is served on (https and http: see http/listener.ts). */
  readonly port: number;
  /** The resources (application ID URIs) tokens may be issued for: the environment's URLs. */
  readonly resources: readonly string[];
  readonly tokenLifetimeSeconds: number;
  readonly user: EmulatorUser;
  /** The demo user's password (resource owner password grant). */
  readonly userPassword: string;
  /** Wall clock in ms (tests can pass their own). */
  readonly now?: () => number;
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
  /** https://127.0.0.1:<port>/<tenant>/ (what MSAL is configured with). */
  readonly authority: string;
  /** https://127.0.0.1:<port>/<tenant>/oauth2/v2.0/token */
  readonly tokenUrl: string;
  /** The v2.0 OpenID configuration (as seen on 127.0.0.1). */
  readonly metadata: AuthorityMetadata;
  /** Serves the authority's paths; false when the path is not the authority's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Checks a bearer token the way an F&O resource does: signature, issuer, audience, lifetime. */
  checkAccessToken(authorization: string | undefined): TokenCheck;
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
const GRAPH = '00000003-0000-0000-c000-000000000000';

interface PendingCode {
  readonly redirectUri: string;
  readonly scopes: string[];
  /** v1 authorize: the resource asked for. */
  readonly resource: string | null;
  readonly challenge: string | null;
  readonly nonce: string | null;
  readonly user: EmulatorUser;
  readonly expiresAt: number;
}

interface RefreshGrant {
  readonly user: EmulatorUser;
  readonly expiresAt: number;
}

class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

/** Entra's error body: MSAL reads error, error_description, error_codes. */
function entraError(res: ServerResponse, e: EntraError): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  sendJson(res, e.status, {
    error: e.error,
    error_description: `AADSTS${e.code}: ${e.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [e.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

/** The resource of the first resource scope (`https://env/.default` → `https://env`). */
export function resourceOfScopes(scopes: readonly string[]): string | null {
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope)) continue;
    if (!scope.includes('://')) return scope.includes('/') ? scope.slice(0, scope.lastIndexOf('/')) : GRAPH;
    const slash = scope.lastIndexOf('/');
    return slash > scope.indexOf('://') + 2 ? scope.slice(0, slash) : scope;
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

const ENDPOINTS = [
  'v2.0/.well-known/openid-configuration',
  '.well-known/openid-configuration',
  'oauth2/v2.0/authorize',
  'oauth2/authorize',
  'oauth2/v2.0/token',
  'oauth2/token',
  'oauth2/v2.0/logout',
  'oauth2/logout',
  'discovery/v2.0/keys',
  'discovery/keys',
] as const;
type Endpoint = (typeof ENDPOINTS)[number];

export function createEntraAuthority(options: AuthorityOptions): EntraAuthority {
  const { tenantId, clientId, clientSecret, user, port } = options;
  const wallNow = options.now ?? Date.now;
  let tokenLifetime = options.tokenLifetimeSeconds;
  // The ids (uti) of the access tokens still honoured: the early-expiry fault empties it.
  const liveTokens = new Set<string>();
  const key = createSigningKey();
  const tenants = new Set([tenantId, options.tenantDomain.toLowerCase(), 'organizations', 'common']);
  const served = new Set(options.resources.map((r) => trimSlash(r).toLowerCase()));
  // F&O accepts v1 access tokens from Entra (iss = sts.windows.net/<tid>/), as Entra issues for it.
  const issuerV1 = `https://sts.windows.net/${tenantId}/`;
  const v2Issuer = new RegExp(`^https://(127\\.0\\.0\\.1|localhost|\\[::1\\]):${port}/${tenantId}/v2\\.0$`);
  const codes = new Map<string, PendingCode>();
  const refreshGrants = new Map<string, RefreshGrant>();
  const nowSeconds = (): number => Math.floor(wallNow() / 1000);

  /** The OpenID configuration as seen from `host` (the loopback name the client used). */
  function metadataFor(host: string): AuthorityMetadata & Record<string, unknown> {
    const https = `https://${host}/${tenantId}`;
    return {
      issuer: `${https}/v2.0`,
      // Plain http on the same port: a system browser opens it without trusting the emulator's CA.
      authorization_endpoint: `http://${host}/${tenantId}/oauth2/v2.0/authorize`,
      token_endpoint: `${https}/oauth2/v2.0/token`,
      end_session_endpoint: `${https}/oauth2/v2.0/logout`,
      jwks_uri: `${https}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'name', 'oid', 'preferred_username', 'tid'],
      request_uri_parameter_supported: false,
      tenant_region_scope: 'NA',
      cloud_instance_name: host,
      cloud_graph_host_name: host,
      msgraph_host: host,
    };
  }

  /** v1 configuration: `resource=` endpoints, issuer sts.windows.net. */
  function metadataV1For(host: string): Record<string, unknown> {
    return {
      ...metadataFor(host),
      issuer: issuerV1,
      authorization_endpoint: `http://${host}/${tenantId}/oauth2/authorize`,
      token_endpoint: `https://${host}/${tenantId}/oauth2/token`,
      end_session_endpoint: `https://${host}/${tenantId}/oauth2/logout`,
      jwks_uri: `https://${host}/${tenantId}/discovery/keys`,
    };
  }

  /** A resource the emulator serves, normalised as Entra writes `aud` (no trailing slash); else AADSTS500011. */
  function servedResource(resource: string): string {
    if (served.has(trimSlash(resource).toLowerCase())) return trimSlash(resource);
    throw new EntraError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${options.tenantDomain}. ` +
        'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        `You might have sent your authentication request to the wrong tenant. This emulator serves ${[...options.resources].join(', ')}.`,
    );
  }

  function accessToken(resource: string, subject: EmulatorUser | null, scopes: readonly string[]): string {
    const iat = nowSeconds();
    const common = {
      aud: resource,
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
    if (!subject) return signJwt({ ...common, oid: APP_OID, sub: APP_OID, idtyp: 'app', roles: [] }, key);
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

  function idToken(host: string, subject: EmulatorUser, nonce: string | null): string {
    const iat = nowSeconds();
    return signJwt(
      {
        aud: clientId,
        iss: `https://${host}/${tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + 3600,
        oid: subject.oid,
        sub: subject.oid,
        tid: tenantId,
        name: subject.name,
        preferred_username: subject.upn,
        upn: subject.upn,
        ver: '2.0',
        ...(nonce ? { nonce } : {}),
      },
      key,
    );
  }

  interface TokenRequest {
    readonly v1: boolean;
    readonly host: string;
    readonly form: URLSearchParams;
    /** The scopes asked for (v2), or derived from `resource` (v1). */
    readonly scopes: string[];
  }

  /** The resource of a request: v1 `resource=`, v2 the scopes' resource. */
  function resourceOf(request: TokenRequest, fallback: string | null = null): string {
    const asked = request.v1 ? request.form.get('resource') : resourceOfScopes(request.scopes);
    const resource = asked || fallback;
    if (!resource) {
      throw request.v1
        ? new EntraError(
            400,
            'invalid_request',
            900144,
            "The request body must contain the following parameter: 'resource'.",
          )
        : new EntraError(
            400,
            'invalid_scope',
            1002012,
            `The provided value for scope ${request.form.get('scope') ?? ''} is not valid: ask for the environment's scope, e.g. ${[...options.resources][0] ?? ''}/.default.`,
          );
    }
    return servedResource(resource === GRAPH ? 'Microsoft Graph (00000003-0000-0000-c000-000000000000)' : resource);
  }

  function sendUserTokens(
    res: ServerResponse,
    request: TokenRequest,
    grant: { user: EmulatorUser; resource: string; scopes: readonly string[]; nonce: string | null },
  ): void {
    const refresh = randomBytes(32).toString('base64url');
    refreshGrants.set(refresh, { user: grant.user, expiresAt: wallNow() + REFRESH_LIFETIME_MS });
    const access = accessToken(grant.resource, grant.user, grant.scopes);
    const clientInfo = base64url(JSON.stringify({ uid: grant.user.oid, utid: tenantId }));
    const id = idToken(request.host, grant.user, grant.nonce);
    if (request.v1) {
      const now = nowSeconds();
      // The v1 endpoint writes its numbers as strings.
      sendJson(
        res,
        200,
        {
          token_type: 'Bearer',
          scope: 'user_impersonation',
          expires_in: String(tokenLifetime),
          ext_expires_in: String(tokenLifetime),
          expires_on: String(now + tokenLifetime),
          not_before: String(now),
          resource: grant.resource,
          access_token: access,
          refresh_token: refresh,
          id_token: id,
        },
        { 'cache-control': 'no-store' },
      );
      return;
    }
    sendJson(
      res,
      200,
      {
        token_type: 'Bearer',
        scope: grant.scopes.filter((s) => !OIDC_SCOPES.has(s)).join(' ') || `${grant.resource}/user_impersonation`,
        expires_in: tokenLifetime,
        ext_expires_in: tokenLifetime,
        access_token: access,
        refresh_token: refresh,
        id_token: id,
        // AAD mode builds homeAccountId (<oid>.<tid>) from client_info.
        client_info: clientInfo,
      },
      { 'cache-control': 'no-store' },
    );
  }

  function sendAppToken(res: ServerResponse, request: TokenRequest, resource: string): void {
    const access = accessToken(resource, null, request.scopes);
    if (request.v1) {
      const now = nowSeconds();
      sendJson(
        res,
        200,
        {
          token_type: 'Bearer',
          expires_in: String(tokenLifetime),
          ext_expires_in: String(tokenLifetime),
          expires_on: String(now + tokenLifetime),
          not_before: String(now),
          resource,
          access_token: access,
        },
        { 'cache-control': 'no-store' },
      );
      return;
    }
    sendJson(
      res,
      200,
      { token_type: 'Bearer', expires_in: tokenLifetime, ext_expires_in: tokenLifetime, access_token: access },
      { 'cache-control': 'no-store' },
    );
  }

  /**
   * Who the client is and how it proved it: a certificate assertion, a secret (form or Basic), or
   * nothing (a public client). An unknown client or a wrong proof is an Entra error.
   */
  function authenticateClient(req: IncomingMessage, form: URLSearchParams): 'confidential' | 'public' {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic[1] ?? '', 'base64')
          .toString('utf8')
          .split(':')
          .map((p) => decodeURIComponent(p))
      : [];
    const requestClient = form.get('client_id') ?? basicId ?? '';
    if (requestClient !== clientId) {
      throw new EntraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${requestClient}' was not found in the directory '${options.tenantDomain}'. ` +
          'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
          `You may have sent your authentication request to the wrong tenant. The emulator's application is ${clientId}.`,
      );
    }
    const assertion = form.get('client_assertion');
    if (assertion !== null) {
      if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
        throw new EntraError(
          400,
          'invalid_request',
          50027,
          `The client_assertion_type must be ${CLIENT_ASSERTION_TYPE}.`,
        );
      }
      const checked = checkClientAssertion(assertion, {
        clientId,
        certificates: options.certificates,
        audiencePaths: [`/${tenantId}/oauth2/token`, `/${tenantId}/oauth2/v2.0/token`].flatMap((p) => [
          p,
          p.replace(tenantId, options.tenantDomain),
        ]),
        nowSeconds: nowSeconds(),
      });
      if (!checked.ok) throw new EntraError(401, 'invalid_client', checked.code, checked.description);
      return 'confidential';
    }
    const secret = form.get('client_secret') ?? basicSecret;
    if (secret === undefined || secret === null) return 'public';
    if (!safeEqual(secret, clientSecret)) {
      throw new EntraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    return 'confidential';
  }

  function authorize(res: ServerResponse, url: URL, v1: boolean, host: string): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const htmlError = (code: number, text: string): void =>
      sendText(res, 400, page('Sign-in error', `AADSTS${code}: ${escapeHtml(text)}`), 'text/html; charset=utf-8');
    if (q.get('client_id') !== clientId) {
      return htmlError(
        700016,
        `Application with identifier '${q.get('client_id') ?? ''}' was not found in the directory '${options.tenantDomain}'.`,
      );
    }
    if (!isLoopbackRedirect(redirectUri)) {
      return htmlError(
        50011,
        `The redirect URI '${redirectUri}' does not match the redirect URIs configured for the application (http://localhost, any port).`,
      );
    }
    const fields: Record<string, string> = { state: q.get('state') ?? '' };
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge');
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const resource = v1 ? q.get('resource') : resourceOfScopes(scopes);
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
    } else if (resource && resource !== GRAPH && !served.has(trimSlash(resource).toLowerCase())) {
      Object.assign(fields, {
        error: 'invalid_resource',
        error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${options.tenantDomain}.`,
      });
    } else {
      const code = randomBytes(32).toString('base64url');
      const hint = q.get('login_hint');
      const signedIn: EmulatorUser = hint ? { ...user, upn: hint } : user;
      codes.set(code, {
        redirectUri,
        scopes,
        resource: v1 ? resource : null,
        challenge,
        nonce: q.get('nonce'),
        user: signedIn,
        expiresAt: wallNow() + CODE_LIFETIME_MS,
      });
      Object.assign(fields, { code, client_info: base64url(JSON.stringify({ uid: signedIn.oid, utid: tenantId })) });
    }
    // Only form_post is offered: it is what MSAL node sends, and it keeps the code out of URLs.
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const body =
      `<p>Sign in to the <b>Local emulator</b> (${escapeHtml(host)}) as <b>${escapeHtml(fields.code ? (q.get('login_hint') ?? user.upn) : '')}</b>.</p>` +
      `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}<button type="submit">Continue</button></form>` +
      '<script>document.forms[0].submit()</script>';
    sendText(res, 200, page('Local emulator sign-in', body), 'text/html; charset=utf-8', {
      'cache-control': 'no-store',
    });
  }

  async function token(req: IncomingMessage, res: ServerResponse, v1: boolean, host: string): Promise<void> {
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    const kind = authenticateClient(req, form);
    const grantType = form.get('grant_type') ?? '';
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const request: TokenRequest = { v1, host, form, scopes };
    switch (grantType) {
      case 'authorization_code': {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!code || code.expiresAt < wallNow())
          throw new EntraError(
            400,
            'invalid_grant',
            70008,
            'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
          );
        if (code.redirectUri !== form.get('redirect_uri'))
          throw new EntraError(
            400,
            'invalid_grant',
            50148,
            'The redirect_uri does not match the one used to obtain the authorization code.',
          );
        if (code.challenge) {
          const computed = createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url');
          if (!safeEqual(computed, code.challenge))
            throw new EntraError(
              400,
              'invalid_grant',
              501481,
              'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
            );
        }
        const granted = scopes.length ? scopes : code.scopes;
        const resource = resourceOf({ ...request, scopes: granted }, code.resource);
        return sendUserTokens(res, request, { user: code.user, resource, scopes: granted, nonce: code.nonce });
      }
      case 'refresh_token': {
        const grant = refreshGrants.get(form.get('refresh_token') ?? '');
        if (!grant || grant.expiresAt < wallNow())
          throw new EntraError(
            400,
            'invalid_grant',
            700082,
            'The refresh token has expired due to inactivity. Sign in again.',
          );
        return sendUserTokens(res, request, { user: grant.user, resource: resourceOf(request), scopes, nonce: null });
      }
      case 'password': {
        const username = form.get('username') ?? '';
        if (username.toLowerCase() !== user.upn.toLowerCase())
          throw new EntraError(
            400,
            'invalid_grant',
            50034,
            `The user account ${username} does not exist in the ${options.tenantDomain} directory. The emulator's user is ${user.upn}.`,
          );
        if (!safeEqual(form.get('password') ?? '', options.userPassword))
          throw new EntraError(
            400,
            'invalid_grant',
            50126,
            'Error validating credentials due to invalid username or password.',
          );
        return sendUserTokens(res, request, { user, resource: resourceOf(request), scopes, nonce: null });
      }
      case 'client_credentials': {
        if (kind === 'public')
          throw new EntraError(
            401,
            'invalid_client',
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
          );
        if (!v1 && !scopes.some((s) => s.endsWith('/.default')))
          throw new EntraError(
            400,
            'invalid_scope',
            1002012,
            `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
          );
        return sendAppToken(res, request, resourceOf(request));
      }
      default:
        throw new EntraError(
          400,
          'unsupported_grant_type',
          70003,
          `The app requested an unsupported grant type '${grantType}'.`,
        );
    }
  }

  return {
    authority: `https://127.0.0.1:${port}/${tenantId}/`,
    tokenUrl: `https://127.0.0.1:${port}/${tenantId}/oauth2/v2.0/token`,
    metadata: metadataFor(`127.0.0.1:${port}`),
    async handle(req, res, url) {
      // MSAL Python joins a trailing-slash authority into `<tenant>//v2.0/…`: read it as one slash.
      const path = url.pathname.replace(/\/{2,}/g, '/');
      const slash = path.indexOf('/', 1);
      const tenant = slash > 0 ? decodeURIComponent(path.slice(1, slash)) : '';
      const endpoint = path.slice(slash + 1) as Endpoint;
      if (slash < 0 || !ENDPOINTS.includes(endpoint)) return false;
      const host = req.headers.host ?? `127.0.0.1:${port}`;
      try {
        if (!tenants.has(tenant.toLowerCase()) && !tenants.has(tenant)) {
          throw new EntraError(
            400,
            'invalid_tenant',
            90002,
            `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
              `The emulator's tenant is ${tenantId} (${options.tenantDomain}).`,
          );
        }
        const v1 = !endpoint.includes('v2.0');
        if (endpoint.endsWith('openid-configuration')) {
          sendJson(res, 200, v1 ? metadataV1For(host) : metadataFor(host));
        } else if (endpoint.startsWith('discovery/')) {
          sendJson(res, 200, { keys: [key.jwk] });
        } else if (endpoint.endsWith('/authorize') && req.method === 'GET') {
          authorize(res, url, v1, host);
        } else if (endpoint.endsWith('/token') && req.method === 'POST') {
          await token(req, res, v1, host);
        } else if (endpoint.endsWith('/logout')) {
          sendText(
            res,
            200,
            page('Signed out', '<p>You signed out of the Local emulator.</p>'),
            'text/html; charset=utf-8',
          );
        } else {
          sendText(res, 405, 'Method not allowed');
        }
      } catch (error) {
        if (!(error instanceof EntraError)) throw error;
        entraError(res, error);
      }
      return true;
    },
    checkAccessToken(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!m) return { ok: false, reason: 'No bearer token: send Authorization: Bearer <access token>.' };
      const checked = verifyJwt(m[1] ?? '', [key]);
      if (!checked.ok) return checked;
      const c = checked.claims;
      if (c.iss !== issuerV1 && !(typeof c.iss === 'string' && v2Issuer.test(c.iss)))
        return { ok: false, reason: `The token issuer ${String(c.iss)} is not trusted.` };
      if (typeof c.aud !== 'string' || !served.has(trimSlash(c.aud).toLowerCase())) {
        return {
          ok: false,
          reason: `The token audience ${String(c.aud)} is not this environment. Request the scope ${trimSlash(options.resources[0] ?? '')}/.default.`,
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
