import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorMsalSettings, startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
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
  it('signs in interactively (PKCE, form_post), then refreshes silently for a second resource', async () => {
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
    expect(claims.exp).toBe(Math.floor(emulator.clock.now() / 1000) + 3600);
    expect((await callFno(first.accessToken)).status).toBe(200);

    const other = 'https://other-environment.operations.dynamics.com/.default';
    const second = await pca.acquireTokenSilent({ account: first.account!, scopes: [other] });
    expect(second.fromCache).toBe(false);
    expect(claimsOf(second.accessToken).aud).toBe('https://other-environment.operations.dynamics.com');
    // A token for another environment is refused by this one.
    const refused = await callFno(second.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
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

  it('expires tokens on the emulator clock and on the early-expiry fault', async () => {
    const token = await appToken();
    emulator.clock.advance(3599_000);
    expect((await callFno(token)).status).toBe(200);
    emulator.clock.advance(1000);
    expect((await callFno(token)).status).toBe(401);

    const fresh = await appToken();
    expect((await callFno(fresh)).status).toBe(200);
    const fault = await fetch(`${emulator.adminUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ expireTokens: true }),
    });
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
    const unknownGrant = await post({ grant_type: 'password', client_id: emulator.clientId });
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
