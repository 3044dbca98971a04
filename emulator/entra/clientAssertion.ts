import { X509Certificate, constants, createVerify } from 'node:crypto';
import type { RegisteredCertificate } from './tls';

/**
 * Client credentials with a certificate (RFC 7523 client assertion), as Entra checks them
 * [DOC: identity-platform certificate-credentials]: a JWT signed with the private key of a
 * certificate registered on the app, named in the header by `x5t` (base64url SHA-1 thumbprint,
 * RS256: MSAL Python, older MSAL Node) or `x5t#S256` (base64url SHA-256, PS256: MSAL Node 2+),
 * with `iss` = `sub` = the client id, `aud` = the token endpoint, and a current `exp`/`nbf`.
 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type AssertionCheck =
  | { readonly ok: true; readonly clientId: string }
  | { readonly ok: false; readonly code: number; readonly description: string };

const CLOCK_SKEW_S = 300;

const fail = (code: number, description: string): AssertionCheck => ({ ok: false, code, description });

export function checkClientAssertion(
  assertion: string,
  options: {
    readonly clientId: string;
    readonly certificates: readonly RegisteredCertificate[];
    /** The token endpoint paths of this tenant (`/<tenant>/oauth2/token`, `/<tenant>/oauth2/v2.0/token`). */
    readonly audiencePaths: readonly string[];
    readonly nowSeconds: number;
  },
): AssertionCheck {
  const parts = assertion.split('.');
  if (parts.length !== 3) return fail(50027, 'JWT token is invalid or malformed.');
  const [h, b, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return fail(50027, 'JWT token is invalid or malformed.');
  }
  const sha1 = typeof header.x5t === 'string' ? Buffer.from(header.x5t, 'base64url').toString('hex').toUpperCase() : '';
  const sha256 =
    typeof header['x5t#S256'] === 'string'
      ? Buffer.from(header['x5t#S256'], 'base64url').toString('hex').toUpperCase()
      : '';
  const certificate = options.certificates.find(
    (c) => (sha1 && c.thumbprintSha1 === sha1) || (sha256 && c.thumbprintSha256 === sha256),
  );
  if (!certificate) {
    return fail(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${sha1 || sha256}']`,
    );
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${b}`);
  const key = new X509Certificate(certificate.certPem).publicKey;
  const signature = Buffer.from(s, 'base64url');
  const valid =
    header.alg === 'RS256'
      ? verifier.verify(key, signature)
      : header.alg === 'PS256'
        ? verifier.verify(
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
            signature,
          )
        : false;
  if (!valid) return fail(700027, 'Client assertion failed signature validation.');
  if (claims.iss !== options.clientId || claims.sub !== options.clientId) {
    return fail(
      700023,
      `Client assertion audience claim does not match Realm issuer, or its issuer and subject are not the client id '${options.clientId}'.`,
    );
  }
  const aud = typeof claims.aud === 'string' ? claims.aud : '';
  const audPath = URL.canParse(aud) ? new URL(aud).pathname.replace(/\/{2,}/g, '/').replace(/\/$/, '') : '';
  if (!options.audiencePaths.includes(audPath)) {
    return fail(
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter, or its audience '${aud}' is not this tenant's token endpoint.`,
    );
  }
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : 0;
  if (exp + CLOCK_SKEW_S < options.nowSeconds || nbf - CLOCK_SKEW_S > options.nowSeconds) {
    return fail(700024, 'Client assertion is not within its valid time range.');
  }
  return { ok: true, clientId: options.clientId };
}
