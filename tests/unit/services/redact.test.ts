import { describe, expect, it } from 'vitest';
import { redact } from '../../../electron/services/logging/redact';
import { createLogger } from '../../../electron/services/logging/logger';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2Vudi5vcGVyYXRpb25zLmR5bmFtaWNzLmNvbSJ9.c2lnbmF0dXJlLXBhcnQ';

describe('log redaction', () => {
  it.each([
    ['a bearer token', `Authorization: Bearer ${JWT}`, JWT],
    ['a bare JWT', `token was ${JWT} here`, JWT],
    [
      'a SAS signature',
      'https://a.blob.core.windows.net/dmf/x.zip?sv=2020&se=2026&sp=w&sig=abc%2Bdef%3D',
      'abc%2Bdef%3D',
    ],
    ['an OAuth code', 'POST / code=0.AAAbcd123&state=xyz', '0.AAAbcd123'],
    ['a client secret in a query', 'grant_type=client_credentials&client_secret=s3cr3t~value', 's3cr3t~value'],
    ['tokens in JSON', '{"access_token":"abc.def","refresh_token":"rt-123"}', 'rt-123'],
    ['the browser-mode session token', 'Sec-WebSocket-Protocol: dmfw.rpc.v1, dmfw.token.AbCdEf_-123', 'AbCdEf_-123'],
    ['the session token in a URL', 'http://127.0.0.1:5000/#tkn=AbCdEf_-123', 'AbCdEf_-123'],
  ])('removes %s', (_label, text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('redacted');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Imported 1,204 rows of Customers V3 into USMF (execution id DMFW-42).';
    expect(redact(text)).toBe(text);
  });

  it('is applied by the logger to messages and details', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line) });
    logger.error(`request failed with Bearer ${JWT}`, new Error(`sig=topsecret in ${JWT}`));
    expect(lines.join('\n')).not.toMatch(/topsecret|eyJhbGci/);
  });
});
