/**
 * Removes secrets from text before it reaches a log: bearer tokens, JWTs, SAS signatures,
 * OAuth codes and secrets in query strings (also URL-encoded, as in a redirect parameter), in
 * JSON (snake_case and camelCase keys, escaped JSON inside a message too) and in Azure storage
 * connection strings. Logs are shared in support tickets.
 */
const SECRET_PARAMS =
  'sig|code|client_secret|access_token|refresh_token|id_token|code_verifier|client_assertion|password|tkn|token';
/** JSON keys, snake_case or camelCase: `refresh_token`, `refreshToken`, `RefreshToken`. */
const SECRET_KEYS =
  'access_?token|refresh_?token|id_?token|client_?secret|client_?assertion|secret|password|token|code_?verifier|account_?key|sas_?token';

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // ?sig=… &code=…; the value ends at &, #, whitespace, a quote or an encoded & (%26).
  [new RegExp(`((?:^|[?&#\\s;,"'(])(?:${SECRET_PARAMS})=)(?:(?!%26)[^&#\\s"'])+`, 'gi'), '$1[redacted]'],
  // The same inside a URL-encoded URL: %3Fsig%3D…, %26sig%3D… (and %253D when encoded twice).
  [
    new RegExp(`((?:%3F|%26|%2526|%253F)(?:${SECRET_PARAMS})(?:%3D|%253D))(?:(?!%26|%2526)[^&#\\s"'])+`, 'gi'),
    '$1[redacted]',
  ],
  // JSON: "refreshToken": "…", also with escaped quotes (JSON in a JSON string: \"clientSecret\":\"…\").
  [new RegExp(`((\\\\?)"(?:${SECRET_KEYS})\\2"\\s*:\\s*\\2")(?:\\\\.|[^"\\\\])*?\\2"`, 'gi'), '$1[redacted]$2"'],
  // Azure storage connection strings and SAS given as a setting: AccountKey=…; SharedAccessSignature=…
  [/\b((?:AccountKey|SharedAccessSignature|SharedAccessKey)=)[^;\s"']+/gi, '$1[redacted]'],
  [/(dmfw\.token\.)[A-Za-z0-9_-]+/g, '$1[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
