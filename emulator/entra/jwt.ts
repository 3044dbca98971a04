import { createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** One RS256 signing key, as Entra publishes it in its JWKS (kid + n/e). */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: { kty: 'RSA'; use: 'sig'; kid: string; n: string; e: string; alg: 'RS256' };
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID().replaceAll('-', '').slice(0, 27);
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return {
    kid,
    privateKey,
    publicKey,
    jwk: { kty: 'RSA', use: 'sig', kid, n: exported.n, e: exported.e, alg: 'RS256' },
  };
}

export const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid }));
  const body = base64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${body}`);
  return `${header}.${body}.${signer.sign(key.privateKey).toString('base64url')}`;
}

export type JwtCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

/** Checks the shape, algorithm, key id and signature; the caller checks aud and exp. */
export function verifyJwt(token: string, keys: readonly SigningKey[]): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'The token is not a JWT (three dot-separated parts).' };
  const [h, b, s] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(b, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'The token header or payload is not base64url JSON.' };
  }
  if (header.alg !== 'RS256')
    return { ok: false, reason: `The token algorithm must be RS256, not ${String(header.alg)}.` };
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'The token was signed by a key this authority does not publish.' };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${b}`);
  if (!verifier.verify(key.publicKey, Buffer.from(s, 'base64url'))) {
    return { ok: false, reason: 'The token signature is invalid.' };
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    return { ok: false, reason: 'The token payload is not a JSON object.' };
  }
  return { ok: true, claims };
}
