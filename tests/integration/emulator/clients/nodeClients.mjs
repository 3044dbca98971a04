// Third-party Node clients signing in to the emulator exactly as their docs say, with only
// ordinary configuration: the printed authority (or authority host), the CA trusted through
// NODE_EXTRA_CA_CERTS, instance discovery off. Run by conformance.test.ts in a child process
// (NODE_EXTRA_CA_CERTS is read at process start). Prints one JSON line of results.
import { readFile } from 'node:fs/promises';
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';

const e = JSON.parse(process.env.EMULATOR_JSON ?? '{}');
const scope = `${e.httpsUrl}/.default`;
const host = new URL(e.authority).host;

/** The package API over https with the token: GetAzureWriteUrl's status. */
async function callPackageApi(token) {
  const res = await fetch(
    `${e.httpsUrl}/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.GetAzureWriteUrl`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ uniqueFileName: 'conformance.zip' }),
    },
  );
  return res.status;
}

async function attempt(name, getToken) {
  try {
    const token = await getToken();
    return [name, { ok: true, status: await callPackageApi(token) }];
  } catch (error) {
    return [name, { ok: false, error: String(error?.message ?? error).slice(0, 500) }];
  }
}

const pem = await readFile(e.clientCertificateFile, 'utf8');
const privateKey = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)[0];
const results = Object.fromEntries(
  await Promise.all([
    attempt('identity.secret', async () => {
      const credential = new ClientSecretCredential(e.tenantId, e.clientId, e.clientSecret, {
        authorityHost: e.authorityHost,
        disableInstanceDiscovery: true,
      });
      return (await credential.getToken(scope)).token;
    }),
    attempt('identity.certificate', async () => {
      const credential = new ClientCertificateCredential(
        e.tenantId,
        e.clientId,
        { certificatePath: e.clientCertificateFile },
        { authorityHost: e.authorityHost, disableInstanceDiscovery: true },
      );
      return (await credential.getToken(scope)).token;
    }),
    attempt('msal.secret', async () => {
      const app = new ConfidentialClientApplication({
        auth: { clientId: e.clientId, authority: e.authority, clientSecret: e.clientSecret, knownAuthorities: [host] },
      });
      return (await app.acquireTokenByClientCredential({ scopes: [scope] })).accessToken;
    }),
    attempt('msal.secret.noSlash', async () => {
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: e.clientId,
          authority: e.authority.replace(/\/$/, ''),
          clientSecret: e.clientSecret,
          knownAuthorities: [host],
        },
      });
      return (await app.acquireTokenByClientCredential({ scopes: [scope] })).accessToken;
    }),
    attempt('msal.certificate', async () => {
      const app = new ConfidentialClientApplication({
        auth: {
          clientId: e.clientId,
          authority: e.authority,
          knownAuthorities: [host],
          clientCertificate: { thumbprintSha256: e.clientCertificateThumbprintSha256, privateKey },
        },
      });
      return (await app.acquireTokenByClientCredential({ scopes: [scope] })).accessToken;
    }),
    attempt('msal.password', async () => {
      const app = new PublicClientApplication({
        auth: { clientId: e.clientId, authority: e.authority, knownAuthorities: [host] },
      });
      const result = await app.acquireTokenByUsernamePassword({
        scopes: [scope],
        username: e.username,
        password: e.password,
      });
      return result.accessToken;
    }),
    attempt('msal.wrongSecret', async () => {
      const app = new ConfidentialClientApplication({
        auth: { clientId: e.clientId, authority: e.authority, clientSecret: 'wrong', knownAuthorities: [host] },
      });
      return (await app.acquireTokenByClientCredential({ scopes: [scope] })).accessToken;
    }),
  ]),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
