/**
 * The size of a string once it is on the wire: the UTF-8 bytes of its JSON literal, escapes
 * included. Replies are bounded by it before anything is serialised (a page of cells full of
 * quotes, control characters or non-Latin letters is several times its length in characters).
 * Exact for what JSON.stringify writes (lone surrogates become `\uXXXX`); linear, no allocation.
 */
export function jsonStringBytes(s: string): number {
  let bytes = 2;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20) bytes += c === 0x22 || c === 0x5c ? 2 : 1;
      // \b \t \n \f \r have short escapes; other control characters are \u00XX.
      else bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    } else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6;
    } else bytes += 3;
  }
  return bytes;
}
