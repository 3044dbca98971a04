import { canonicalEncoding } from '../../../../shared/domain/dialects/csvDialect';
import { detectEncoding } from '../encoding';
import type { DetectedEncoding } from '../encoding';

/**
 * The encoding of an XML document: a BOM wins, then the UTF-16 byte pattern, then the
 * declaration's `encoding="…"`, else UTF-8 (the XML default). `override` skips all of it.
 */
export function detectXmlEncoding(head: Uint8Array, override?: string): DetectedEncoding {
  const detected = detectEncoding(head, override);
  if (override || detected.reason === 'BOM' || detected.reason === 'UTF-16 pattern') return detected;
  const start = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 512)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(start);
  if (declared)
    return { encoding: canonicalEncoding(declared[1] ?? 'utf-8'), bom: false, bomLength: 0, reason: 'declaration' };
  return { encoding: 'utf-8', bom: false, bomLength: 0, reason: 'XML default' };
}
