/**
 * Removes secrets from text before it reaches a log: bearer tokens, JWTs, SAS signatures,
 * OAuth codes and secrets in query strings or JSON. Logs are shared in support tickets.
 */
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [
    /((?:^|[?&#\s;,"'(])(?:sig|code|client_secret|access_token|refresh_token|id_token|code_verifier|tkn|token)=)[^&#\s"']+/gi,
    '$1[redacted]',
  ],
  [
    /("(?:access_token|refresh_token|id_token|client_secret|secret|password|token|code_verifier)"\s*:\s*")[^"]*"/gi,
    '$1[redacted]"',
  ],
  [/(dmfw\.token\.)[A-Za-z0-9_-]+/g, '$1[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
