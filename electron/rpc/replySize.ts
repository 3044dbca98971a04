/**
 * How big a reply may be, over any transport. A reply is serialised whole (JSON over the
 * WebSocket, a structured clone over Electron IPC): one too big for that throws deep inside the
 * transport (JSON.stringify's RangeError once killed browser mode), so it is measured first and
 * answered with an error that says what to ask for instead.
 */
import { jsonStringBytes } from '../../shared/api/jsonSize';

/** Bytes of JSON (UTF-8) one reply may take: pages for the grid stay far below (MAX_PAGE_BYTES). */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * Whether `value` serialises to more than `max` bytes of JSON: strings (and keys) by their exact
 * wire size, escapes and UTF-8 included (characters undercount: a cell of quotes or of non-Latin
 * letters is two to six times its length), other values by a fixed small size. Linear in the
 * value and stops as soon as the limit is passed.
 */
export function replyExceeds(value: unknown, max: number = MAX_REPLY_BYTES): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') size += jsonStringBytes(item);
    else if (Array.isArray(item)) {
      size += item.length + 2;
      for (let i = 0; i < item.length; i++) stack.push(item[i]);
    } else if (typeof item === 'object' && item !== null) {
      for (const key in item) {
        size += jsonStringBytes(key) + 2;
        stack.push((item as Record<string, unknown>)[key]);
      }
      size += 2;
    } else size += 8;
    if (size > max) return true;
  }
  return false;
}

/** `12.5 MB`: sizes in messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
