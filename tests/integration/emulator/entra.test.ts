import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorMsalSettings, startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { adminFetch } from '../../support/emulatorHttp';
import { followConsentPage } from '../../support/emulatorSignIn';

const WRITE_URL_ACTION = '/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetAzureWriteUrl';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ clock: { manual: true } });
});
afterAll(async () => {
  await emulator?.stop();
});

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

async function callFno(token: string | null): Promise<Response> {
  return fetch(`${emulator.baseUrl}${WRITE_URL_ACTION}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ uniqueFileName: 'probe.zip' }),
  });
}

describe('Entra authority with the real MSAL 7.2.1', () => {
  it('signs in interactively (PKCE, form_post), then silently for the https name, never for another resource', async () => {
    const settings = emulatorMsalSettings(emulator);
    const pca = new PublicClientApplication({ auth: settings.auth, system: settings.system });
    const scope = `${emulator.baseUrl}/.default`;
    const first = await pca.acquireTokenInteractive({
      scopes: [scope],
      openBrowser: followConsentPage,
      successTemplate: 'Signed in. You can close this window.',
      errorTemplate: 'Sign-in failed: {{error}}',
    });
    expect(first.account?.homeAccountId).toBe(`${emulator.user.oid}.${emulator.tenantId}`);
    expect(first.account?.username).toBe(emulator.user.upn);
    const claims = claimsOf(first.accessToken);
    expect(claims).toMatchObject({
      aud: emulator.baseUrl,
      tid: emulator.tenantId,
      oid: emulator.user.oid,
      upn: emulator.user.upn,
    });
    // Wall time, not the emulator's (manual) clock.
    expect(Number(claims.exp) - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
    expect((await callFno(first.accessToken)).status).toBe(200);

    // Tokens only for the resources the emulator serves: another environment is Entra's AADSTS500011.
    const other = 'https://other-environment.operations.dynamics.com/.default';
    await expect(pca.acquireTokenSilent({ account: first.account!, scopes: [other] })).rejects.toThrow(/AADSTS500011/);
    // The same environment by its https name is the same resource.
    const https = await pca.acquireTokenSilent({ account: first.account!, scopes: [`${emulator.httpsUrl}/.default`] });
    expect(claimsOf(https.accessToken).aud).toBe(emulator.httpsUrl);
    expect((await callFno(https.accessToken)).status).toBe(200);
    const again = await pca.acquireTokenSilent({ account: first.account!, scopes: [scope] });
    expect(again.fromCache).toBe(true);
  });

  it('issues app tokens by client credentials to a ConfidentialClientApplication', async () => {
    const settings = emulatorMsalSettings(emulator);
    const cca = new ConfidentialClientApplication({
      auth: { ...settings.auth, clientSecret: emulator.clientSecret },
      system: settings.system,
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [`${emulator.baseUrl}/.default`] });
    expect(claimsOf(result!.accessToken)).toMatchObject({
      aud: emulator.baseUrl,
      idtyp: 'app',
      appid: emulator.clientId,
    });
    expect((await callFno(result!.accessToken)).status).toBe(200);

    const wrong = new ConfidentialClientApplication({
      auth: { ...settings.auth, clientSecret: 'wrong' },
      system: settings.system,
    });
    await expect(wrong.acquireTokenByClientCredential({ scopes: [`${emulator.baseUrl}/.default`] })).rejects.toThrow(
      /7000215/,
    );
  });
});

describe('bearer token checks on F&O endpoints', () => {
  async function appToken(): Promise<string> {
    const res = await fetch(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        scope: `${emulator.baseUrl}/.default`,
      }).toString(),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('refuses a missing, malformed or forged token with 401 and the OData error body', async () => {
    for (const token of [null, 'not-a-jwt', 'a.b.c']) {
      const res = await callFno(token);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { innererror: { message: string } } };
      expect(body.error.innererror.message).toMatch(/token|JWT|bearer/i);
    }
    const good = await appToken();
    const [h, p] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claimsOf(good), oid: 'someone-else' })).toString('base64url');
    expect((await callFno(`${h}.${forgedPayload}.${good.split('.')[2]}`)).status).toBe(401);
    expect((await callFno(`${h}.${p}.${good.split('.')[2]}`)).status).toBe(200);
  });

  it('expires tokens on the early-expiry fault', async () => {
    const fresh = await appToken();
    expect((await callFno(fresh)).status).toBe(200);
    const fault = await adminFetch(emulator, '/faults', { body: { expireTokens: true } });
    expect(fault.status).toBe(200);
    expect((await callFno(fresh)).status).toBe(401);
    expect((await callFno(await appToken())).status).toBe(200);
  });

  it('answers token requests with Entra errors for a wrong grant, code or PKCE verifier', async () => {
    const post = (fields: Record<string, string>) =>
      fetch(`${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const unknownGrant = await post({ grant_type: 'urn:example:grant', client_id: emulator.clientId });
    expect(unknownGrant.status).toBe(400);
    expect(await unknownGrant.json()).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });

    // A real code with a wrong verifier fails the S256 check.
    const authorize = new URL(emulator.authorityMetadata.authorization_endpoint);
    authorize.search = new URLSearchParams({
      client_id: emulator.clientId,
      response_type: 'code',
      redirect_uri: 'http://localhost:1234/',
      scope: `${emulator.baseUrl}/.default openid`,
      state: 's1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      response_mode: 'form_post',
    }).toString();
    const page = await (await fetch(authorize)).text();
    const code = /name="code" value="([^"]+)"/.exec(page)![1]!;
    const wrongVerifier = await post({
      grant_type: 'authorization_code',
      client_id: emulator.clientId,
      code,
      redirect_uri: 'http://localhost:1234/',
      code_verifier: 'wrong',
    });
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    // The code was used up by the failed attempt.
    const reused = await post({
      grant_type: 'authorization_code',
      client_id: emulator.clientId,
      code,
      redirect_uri: 'http://localhost:1234/',
      code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    });
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_codes: [70008] });
    // A non-loopback redirect is refused on the page itself.
    authorize.searchParams.set('redirect_uri', 'https://evil.example/callback');
    expect((await fetch(authorize)).status).toBe(400);
  });
});

describe('tokens live on the wall clock, whatever the emulator clock does', () => {
  it('keeps a token valid across emulator hours and expires it after its real lifetime', async () => {
    let wall = Date.now();
    const own = await startEmulator({ clock: { manual: true }, speed: 20, wallClock: () => wall, seed: false });
    try {
      const res = await fetch(`${own.baseUrl}/${own.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: own.clientId,
          client_secret: own.clientSecret,
          scope: `${own.baseUrl}/.default`,
        }).toString(),
      });
      const { access_token: token, expires_in: lifetime } = (await res.json()) as {
        access_token: string;
        expires_in: number;
      };
      expect(lifetime).toBe(3600);
      expect(claimsOf(token).exp).toBe(Math.floor(wall / 1000) + 3600);
      const call = () =>
        fetch(`${own.baseUrl}${WRITE_URL_ACTION}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ uniqueFileName: 'probe.zip' }),
        });
      own.clock.advance(5 * 3600_000);
      expect((await call()).status).toBe(200);
      wall += 3599_000;
      expect((await call()).status).toBe(200);
      wall += 1000;
      expect((await call()).status).toBe(401);
    } finally {
      await own.stop();
    }
  });
});

describe('Entra errors and grants', () => {
  const form = (url: string, fields: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const v2 = () => `${emulator.baseUrl}/${emulator.tenantId}/oauth2/v2.0/token`;
  const v1 = () => `${emulator.baseUrl}/${emulator.tenantId}/oauth2/token`;

  it('answers an unknown tenant with AADSTS90002, on discovery and on the token endpoint', async () => {
    const discovery = await fetch(`${emulator.baseUrl}/not-our-tenant/v2.0/.well-known/openid-configuration`);
    expect(discovery.status).toBe(400);
    expect(await discovery.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    const token = await form(`${emulator.baseUrl}/not-our-tenant/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      scope: `${emulator.baseUrl}/.default`,
    });
    expect(await token.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
  });

  it('serves discovery under the trailing-slash authority MSAL Python builds (<tenant>//v2.0/…)', async () => {
    const res = await fetch(
      `${emulator.authority}/v2.0/.well-known/openid-configuration`.replace('https://', 'http://'),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      token_endpoint: emulator.tokenUrl,
      issuer: `${emulator.httpsUrl}/${emulator.tenantId}/v2.0`,
    });
  });

  it('refuses an unknown client, a wrong secret, a missing credential and a resource it does not serve', async () => {
    const base = { grant_type: 'client_credentials', scope: `${emulator.baseUrl}/.default` };
    const unknown = await form(v2(), {
      ...base,
      client_id: 'f00dcafe-0000-0000-0000-000000000000',
      client_secret: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    const wrong = await form(v2(), { ...base, client_id: emulator.clientId, client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const none = await form(v2(), { ...base, client_id: emulator.clientId });
    expect(await none.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    const foreign = await form(v2(), {
      ...base,
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      scope: 'https://contoso.operations.dynamics.com/.default',
    });
    expect(foreign.status).toBe(400);
    const body = (await foreign.json()) as { error: string; error_codes: number[]; error_description: string };
    expect(body).toMatchObject({ error: 'invalid_resource', error_codes: [500011] });
    expect(body.error_description).toMatch(/^AADSTS500011: The resource principal named https:\/\/contoso/);
  });

  it('issues v1 tokens for resource= (strings for the numbers), by secret and by the password grant', async () => {
    const app = await form(v1(), {
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
      resource: emulator.baseUrl,
    });
    expect(app.status).toBe(200);
    const appBody = (await app.json()) as Record<string, string>;
    expect(appBody).toMatchObject({ token_type: 'Bearer', expires_in: '3600', resource: emulator.baseUrl });
    expect((await callFno(appBody.access_token!)).status).toBe(200);

    const user = await form(v1(), {
      grant_type: 'password',
      client_id: emulator.clientId,
      resource: emulator.baseUrl,
      username: emulator.user.upn,
      password: emulator.userPassword,
    });
    const userBody = (await user.json()) as Record<string, string>;
    expect(claimsOf(userBody.access_token!)).toMatchObject({
      upn: emulator.user.upn,
      idtyp: 'user',
      aud: emulator.baseUrl,
    });
    expect((await callFno(userBody.access_token!)).status).toBe(200);
    const badPassword = await form(v1(), {
      grant_type: 'password',
      client_id: emulator.clientId,
      resource: emulator.baseUrl,
      username: emulator.user.upn,
      password: 'guess',
    });
    expect(await badPassword.json()).toMatchObject({ error: 'invalid_grant', error_codes: [50126] });
    const noResource = await form(v1(), {
      grant_type: 'client_credentials',
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
    });
    expect(await noResource.json()).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
  });

  it('makes a new client secret for every in-memory run (no published constant)', async () => {
    const other = await startEmulator({ clock: { manual: true }, seed: false });
    try {
      expect(other.clientSecret).not.toBe(emulator.clientSecret);
      expect(other.clientSecret).toMatch(/^.{3}8Q~.{34}$/);
      expect(other.userPassword).not.toBe(emulator.userPassword);
    } finally {
      await other.stop();
    }
  });
});
