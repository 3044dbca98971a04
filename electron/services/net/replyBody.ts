/**
 * Reading a remote reply's body within a size: `Response.text()` reads whatever the server sends
 * (a chunked reply has no Content-Length to check first), so a reply is streamed and cut off as
 * soon as it passes its limit.
 */
import { AppError } from '../../../shared/api/errors';

/**
 * The body as text (UTF-8, as `text()` decodes it). Over `maxBytes`: REMOTE_FAILED naming `label`,
 * or with `truncate`, the first `maxBytes` (error details only need their start).
 */
export async function readReplyText(
  response: Response,
  label: string,
  maxBytes: number,
  options: { truncate?: boolean } = {},
): Promise<string> {
  const over = (declared?: number) =>
    new AppError(
      'REMOTE_FAILED',
      `${label} answered with ${declared === undefined ? 'a body' : `${declared.toLocaleString('en-US')} bytes`} over the ${maxBytes.toLocaleString('en-US')} bytes the workbench reads of this reply; it was not read.`,
    );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!options.truncate && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw over(declared);
  }
  if (!response.body) return '';
  const decoder = new TextDecoder('utf-8');
  const reader = response.body.getReader();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      if (!options.truncate) throw over();
      const keep = value.byteLength - (bytes - maxBytes);
      return text + decoder.decode(value.subarray(0, keep));
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
