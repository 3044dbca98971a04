import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { STYLE_NONCE_PLACEHOLDER } from './csp';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface RendererAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly isDocument: boolean;
}

/**
 * Resolves a URL path to a file of the renderer bundle, refusing anything that escapes the bundle
 * folder (`..`, encoded separators, NUL) or is not a known asset type. '/' is index.html, whose
 * style-nonce placeholder is replaced with the response's nonce.
 */
export async function loadRendererAsset(
  root: string,
  urlPath: string,
  styleNonce: string,
): Promise<RendererAsset | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, relative);
  if (!file.startsWith(base + sep)) return null;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!contentType) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
  } catch {
    return null;
  }
  const isDocument = extname(file).toLowerCase() === '.html';
  const raw = await readFile(file);
  const body = isDocument
    ? new TextEncoder().encode(raw.toString('utf8').replaceAll(STYLE_NONCE_PLACEHOLDER, styleNonce))
    : raw;
  return { body, contentType, isDocument };
}
