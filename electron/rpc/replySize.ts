/**
 * How big a reply may be, over any transport. A reply is serialised whole (JSON over the
 * WebSocket, a structured clone over Electron IPC): one too big for that throws deep inside the
 * transport (JSON.stringify's RangeError once killed browser mode), so it is measured first and
 * answered with an error that says what to ask for instead.
 */
/** Characters of JSON one reply may take: pages for the grid stay far below (MAX_PAGE_CHARS). */
export const MAX_REPLY_CHARS = 64 * 1024 * 1024;

/**
 * Whether `value` serialises to more than `max` characters of JSON (approximately: strings by
 * their length, which escaping can only lengthen; other values by a fixed small size). Linear in
 * the value and stops as soon as the limit is passed.
 */
export function replyExceeds(value: unknown, max: number = MAX_REPLY_CHARS): boolean {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (Array.isArray(item)) {
      size += item.length + 2;
      for (let i = 0; i < item.length; i++) stack.push(item[i]);
    } else if (typeof item === 'object' && item !== null) {
      for (const key in item) {
        size += key.length + 4;
        stack.push((item as Record<string, unknown>)[key]);
      }
      size += 2;
    } else size += 8;
    if (size > max) return true;
  }
  return false;
}

/** `12.5 MB`: sizes in messages. */
export function megabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(chars < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
