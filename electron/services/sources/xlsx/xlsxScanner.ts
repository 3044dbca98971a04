/**
 * A tokenizer for the two big parts of a workbook, the worksheet and sharedStrings.xml, in place
 * of a general SAX parser: it scans the decoded text with indexOf and charCodeAt, hands out local
 * element names (prefixes dropped) and only the text its handler asks for, and slices an
 * attribute only when the handler reads it. Profiled on 200k × 8 shared-string rows (issue 15):
 * saxes took ~60% of the reader's CPU and its per-event objects most of the GC.
 *
 * It keeps what safeSax guarantees on untrusted input, with the same messages: a DOCTYPE is
 * refused (no DTD: no external entities, no entity expansion, no XXE), only XML's five entities
 * and character references are read, and no buffer grows past its limit (markup, text, comment
 * or CDATA ≤ textChars; attributes per element; nesting depth). It checks well-formedness the
 * way the rows depend on it: tags balance, one root, characters XML allows (control characters,
 * U+FFFE/U+FFFF and references to them or to surrogates refused), attribute syntax, entity
 * syntax, nothing left open at the end. Line ends in text are normalised (CRLF, CR → LF) and
 * attribute white space as XML 1.0 §3.3.3 says.
 *
 * Not checked, unlike saxes: duplicate attributes, the name characters past the first, and where
 * an XML declaration stands; none of them changes a value read.
 */
import { InputFileError } from '../inputError';
import type { InputLocation } from '../inputError';
import { INPUT_LIMITS } from '../limits';
import { columnIndexOf } from './cellRefs';
import { DOCTYPE_REFUSED, saxLimitError } from '../xml/safeSax';
import type { SaxLimits } from '../xml/safeSax';

export interface XlsxXmlHandler {
  /** Whether the text at this point is wanted: it is then decoded and handed to `onText`. */
  readonly collecting: boolean;
  /** A start tag; its attributes are readable through `scanner.attribute` until it returns. */
  onOpen(name: string, scanner: XlsxXmlScanner): void;
  /** An end tag (also right after `onOpen` for a self-closing `<c/>`). */
  onClose(name: string): void;
  /** Decoded text (in pieces: one value may come in several calls). */
  onText(text: string): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const AMP = 0x26;
const COLON = 0x3a;
const QUOTE = 0x22;
const APOS = 0x27;

/** Characters XML 1.0 does not allow anywhere in a document (§2.2). Lone surrogates cannot come out of the UTF-8 decoder. */
// eslint-disable-next-line no-control-regex -- the control characters are what XML refuses
const ILLEGAL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Names the sheet and shared-string handlers look at: returned as constants (no string per tag). */
const KNOWN_NAMES = ['c', 'v', 't', 'r', 'f', 'is', 'si', 'row', 'rPh', 'sst', 'sheetData'];

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Ends a name: white space, `/`, `>`, `=` (or the end of the text). */
function endsName(c: number): boolean {
  return c === 0x20 || c === GT || c === SLASH || c === 0x0a || c === 0x09 || c === 0x0d || c === EQUALS;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === COLON || c >= 0xc0;
}

export class XlsxXmlScanner {
  /** Text not yet consumed starts at `pos`; everything before it has been handed out. */
  private buf = '';
  private pos = 0;
  /** Line of buf[0], for messages. */
  private lineBase = 1;
  /** Where to look for the end of a pending markup construct (already searched up to here). */
  private searchFrom = 0;
  /** The next `&` in buf at or after the last text looked at; -1: none to its end; -2: not looked for. */
  private ampAt = -2;
  private readonly qnames: string[] = [];
  private readonly locals: string[] = [];
  private depth = 0;
  private rootSeen = false;
  private ended = false;
  // The current start tag's attributes as offsets into buf: name start/end, value start/end, flags.
  private attrs: number[] = [];
  private attrCount = 0;
  private readonly limits: Required<SaxLimits>;

  constructor(
    private readonly location: InputLocation,
    private readonly handler: XlsxXmlHandler,
    limits: SaxLimits = {},
  ) {
    this.limits = {
      textChars: limits.textChars ?? INPUT_LIMITS.fieldChars,
      attributes: limits.attributes ?? INPUT_LIMITS.fieldsPerRecord,
      depth: limits.depth ?? INPUT_LIMITS.xmlDepth,
    };
  }

  /** Scans a piece of decoded text; a construct cut at its end waits for the next piece. */
  write(text: string): void {
    const illegal = text.search(ILLEGAL_CHAR);
    if (this.pos > 0) {
      this.advanceLines(this.pos);
      this.searchFrom -= this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    if (illegal >= 0) {
      // Everything before it is still read (its rows are out before the error, as saxes did).
      this.buf += text.slice(0, illegal);
      this.ampAt = -2;
      this.scan(false);
      this.fail(
        `disallowed character U+${text.charCodeAt(illegal).toString(16).toUpperCase().padStart(4, '0')}.`,
        this.buf.length,
      );
    }
    this.buf += text;
    this.ampAt = -2;
    this.scan(false);
    if (this.buf.length - this.pos > this.limits.textChars)
      throw saxLimitError(
        { ...this.location, line: this.lineAt(this.pos) },
        'has a value, name or comment longer than the limit',
        this.limits.textChars,
      );
  }

  /** The end of the document: anything still open is an error. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ampAt = -2;
    this.scan(true);
    if (this.pos < this.buf.length) this.fail('unclosed markup at the end of the document.', this.pos);
    if (this.depth > 0) this.fail(`unclosed tag: ${this.qnames[this.depth - 1]}.`, this.buf.length);
    if (!this.rootSeen) this.fail('document must contain a root element.', this.buf.length);
  }

  /** The value of an attribute of the current start tag, by its qualified name. */
  attribute(name: string): string | undefined {
    const k = this.attributeAt(name);
    if (k < 0) return undefined;
    const a = this.attrs;
    const value = this.buf.slice(a[k + 2] ?? 0, a[k + 3] ?? 0);
    const flags = a[k + 4] ?? 0;
    return flags === 0 ? value : this.attributeValue(value, flags, a[k + 2] ?? 0);
  }

  /**
   * The column of a cell reference attribute (`C12` → 2) read in place, without making a string;
   * -1 when the attribute has no letters (or is missing: -2).
   */
  columnOf(name: string): number {
    const k = this.attributeAt(name);
    if (k < 0) return -2;
    const a = this.attrs;
    if (a[k + 4] !== 0) return columnIndexOf(this.attribute(name) ?? '');
    const buf = this.buf;
    const end = a[k + 3] ?? 0;
    let n = 0;
    let i = a[k + 2] ?? 0;
    const start = i;
    for (; i < end; i++) {
      const c = buf.charCodeAt(i);
      if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
      else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
      else break;
    }
    return i === start ? -1 : n - 1;
  }

  /** Where the attribute's offsets start in `attrs`, or -1. */
  private attributeAt(name: string): number {
    const a = this.attrs;
    const buf = this.buf;
    for (let i = 0; i < this.attrCount; i++) {
      const k = i * 5;
      const start = a[k] ?? 0;
      if ((a[k + 1] ?? 0) - start === name.length && buf.startsWith(name, start)) return k;
    }
    return -1;
  }

  private attributeValue(value: string, flags: number, at: number): string {
    // Attribute-value normalisation (XML 1.0 §3.3.3): literal white space becomes a space; a
    // character reference keeps the character it names.
    const spaced = flags & 2 ? value.replace(/\r\n|[\r\n\t]/g, ' ') : value;
    return flags & 1 ? this.decode(spaced, at) : spaced;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    let pos = this.pos;
    while (pos < n) {
      if (buf.charCodeAt(pos) !== LT) {
        const lt = buf.indexOf('<', pos);
        let end = lt === -1 ? n : lt;
        if (lt === -1 && !final) {
          // Keep a reference or a CR cut at the end of the piece for the next one.
          const amp = buf.lastIndexOf('&', n - 1);
          if (amp >= pos && buf.indexOf(';', amp) === -1) end = amp;
          if (end > pos && buf.charCodeAt(end - 1) === 0x0d) end--;
        }
        if (end > pos) this.onText(buf, pos, end);
        pos = end;
        if (lt === -1) break;
        continue;
      }
      if (pos + 1 >= n) break;
      const c1 = buf.charCodeAt(pos + 1);
      let next: number;
      if (c1 === SLASH) next = this.closeTag(buf, pos);
      else if (c1 === BANG) next = this.bang(buf, pos, final);
      else if (c1 === QUESTION) next = this.skipTo(buf, pos, '?>');
      else next = this.openTag(buf, pos);
      if (next < 0) break;
      pos = next;
      this.searchFrom = pos;
    }
    this.pos = pos;
  }

  /** The end of `terminator` after `pos`, or -1 when it is not in the text yet. */
  private skipTo(buf: string, pos: number, terminator: string): number {
    const at = buf.indexOf(terminator, Math.max(pos + 2, this.searchFrom));
    if (at === -1) {
      this.searchFrom = Math.max(pos, buf.length - terminator.length + 1);
      return -1;
    }
    return at + terminator.length;
  }

  /** `<!--`, `<![CDATA[` or `<!DOCTYPE` (refused). */
  private bang(buf: string, pos: number, final: boolean): number {
    if (buf.length - pos < 9 && !final && !buf.startsWith('<!--', pos)) return -1;
    if (buf.startsWith('<!--', pos)) return this.skipTo(buf, pos, '-->');
    if (buf.startsWith('<![CDATA[', pos)) {
      const end = this.skipTo(buf, pos, ']]>');
      if (end < 0) return -1;
      if (this.depth === 0) this.fail('CDATA outside the root element.', pos);
      if (this.handler.collecting) this.handler.onText(buf.slice(pos + 9, end - 3).replace(/\r\n?/g, '\n'));
      return end;
    }
    if (buf.startsWith('<!DOCTYPE', pos))
      throw new InputFileError({ ...this.location, line: this.lineAt(pos) }, DOCTYPE_REFUSED);
    return this.fail('unknown markup after <!.', pos);
  }

  private closeTag(buf: string, pos: number): number {
    const gt = buf.indexOf('>', Math.max(pos + 2, this.searchFrom));
    if (gt === -1) {
      this.searchFrom = buf.length;
      return -1;
    }
    if (this.depth === 0) this.fail('unmatched closing tag.', pos);
    const qname = this.qnames[this.depth - 1] ?? '';
    let end = pos + 2 + qname.length;
    const matches = buf.startsWith(qname, pos + 2);
    while (end < gt && isSpace(buf.charCodeAt(end))) end++;
    if (!matches || end !== gt)
      this.fail(`unexpected close tag </${buf.slice(pos + 2, gt).trim()}>; ${qname} is open.`, pos);
    this.depth--;
    this.handler.onClose(this.locals[this.depth] ?? '');
    return gt + 1;
  }

  /** A start tag at `pos`: its end, or -1 when it is not all in the text yet. */
  private openTag(buf: string, pos: number): number {
    const n = buf.length;
    // A tag found cut off before is parsed again only once its `>` may have come.
    if (this.searchFrom > pos && buf.indexOf('>', this.searchFrom) === -1) return -1;
    this.searchFrom = n;
    const nameStart = pos + 1;
    if (!isNameStart(buf.charCodeAt(nameStart))) this.fail('disallowed character in tag name.', pos);
    let i = nameStart;
    let colon = -1;
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (endsName(c)) break;
      if (c === COLON) colon = i;
    }
    if (i >= n) return -1;
    const nameEnd = i;
    // Attributes: offsets only; `attribute` slices the ones the handler reads.
    const attrs = this.attrs;
    let count = 0;
    let selfClosing = false;
    for (;;) {
      const before = i;
      while (i < n && isSpace(buf.charCodeAt(i))) i++;
      if (i >= n) return -1;
      let c = buf.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (i + 1 >= n) return -1;
        if (buf.charCodeAt(i + 1) !== GT) this.fail('forward slash in tag not followed by >.', i);
        i += 2;
        selfClosing = true;
        break;
      }
      if (i === before) this.fail('no white space between attributes.', i);
      const an = i;
      while (i < n && !endsName(buf.charCodeAt(i))) i++;
      const anEnd = i;
      while (i < n && isSpace(buf.charCodeAt(i))) i++;
      if (i >= n) return -1;
      if (anEnd === an || buf.charCodeAt(i) !== EQUALS) this.fail('attribute without value.', i);
      i++;
      while (i < n && isSpace(buf.charCodeAt(i))) i++;
      if (i >= n) return -1;
      const quote = buf.charCodeAt(i);
      if (quote !== QUOTE && quote !== APOS) this.fail('unquoted attribute value.', i);
      const vs = ++i;
      let flags = 0;
      for (; i < n; i++) {
        c = buf.charCodeAt(i);
        if (c === quote) break;
        if (c === AMP) flags |= 1;
        else if (c === LT) this.fail('disallowed character < in attribute value.', i);
        else if (c === 0x0a || c === 0x0d || c === 0x09) flags |= 2;
      }
      if (i >= n) return -1;
      if (count >= this.limits.attributes)
        throw saxLimitError(
          { ...this.location, line: this.lineAt(pos) },
          'has an element with more attributes than the limit',
          this.limits.attributes,
        );
      const k = count * 5;
      attrs[k] = an;
      attrs[k + 1] = anEnd;
      attrs[k + 2] = vs;
      attrs[k + 3] = i;
      attrs[k + 4] = flags;
      count++;
      i++;
    }
    if (this.depth === 0) {
      if (this.rootSeen) this.fail('document must contain only one root element.', pos);
      this.rootSeen = true;
    }
    if (this.depth >= this.limits.depth)
      throw saxLimitError(
        { ...this.location, line: this.lineAt(pos) },
        'nests elements deeper than the limit',
        this.limits.depth,
      );
    const qname = internName(buf, nameStart, nameEnd, colon);
    const local = colon < 0 ? qname : internName(buf, colon + 1, nameEnd, -1);
    this.attrCount = count;
    // The handler reads attributes from buf as it stands: scan() does not reslice buf meanwhile.
    this.qnames[this.depth] = qname;
    this.locals[this.depth] = local;
    this.depth++;
    this.handler.onOpen(local, this);
    this.attrCount = 0;
    if (selfClosing) {
      this.depth--;
      this.handler.onClose(local);
    }
    return i;
  }

  private onText(buf: string, start: number, end: number): void {
    if (this.depth === 0) {
      for (let i = start; i < end; i++)
        if (!isSpace(buf.charCodeAt(i))) this.fail('text data outside of root node.', i);
      return;
    }
    // The next `&` is looked for once per piece of text, not once per text node.
    if (this.ampAt !== -1 && this.ampAt < start) this.ampAt = buf.indexOf('&', start);
    const amp = this.ampAt;
    const hasRef = amp !== -1 && amp < end;
    if (this.handler.collecting) {
      let text = buf.slice(start, end);
      // Literal line ends are normalised before references are read: `&#13;` stays a CR.
      if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
      if (hasRef) text = this.decode(text, start);
      this.handler.onText(text);
    } else if (hasRef) {
      // Unread text still has to hold only references XML knows.
      this.decode(buf.slice(amp, end), amp);
    }
  }

  /** Replaces XML's five entities and character references; anything else is refused. */
  private decode(text: string, at: number): string {
    let out = '';
    let from = 0;
    for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', from)) {
      const semi = text.indexOf(';', amp + 1);
      if (semi === -1 || semi - amp > 12) this.fail('unterminated entity or character reference.', at + amp);
      const name = text.slice(amp + 1, semi);
      let replacement: string;
      if (name.charCodeAt(0) === 0x23) {
        const hex = name.charCodeAt(1) === 0x78;
        const digits = name.slice(hex ? 2 : 1);
        const cp =
          digits !== '' && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
        if (!isXmlChar(cp)) this.fail(`malformed character entity: &${name};.`, at + amp);
        replacement = String.fromCodePoint(cp);
      } else {
        const named = PREDEFINED[name];
        if (named === undefined) this.fail(`undefined entity: &${name};.`, at + amp);
        replacement = named ?? '';
      }
      out += text.slice(from, amp) + replacement;
      from = semi + 1;
    }
    return out + text.slice(from);
  }

  private advanceLines(upTo: number): void {
    for (let at = this.buf.indexOf('\n'); at !== -1 && at < upTo; at = this.buf.indexOf('\n', at + 1)) this.lineBase++;
  }

  private lineAt(pos: number): number {
    let line = this.lineBase;
    for (let at = this.buf.indexOf('\n'); at !== -1 && at < pos; at = this.buf.indexOf('\n', at + 1)) line++;
    return line;
  }

  private fail(message: string, pos: number): never {
    const lineStart = this.buf.lastIndexOf('\n', pos - 1) + 1;
    throw new InputFileError(
      { ...this.location, line: this.lineAt(pos), column: pos - lineStart + 1 },
      `is not well-formed XML: ${message}`,
    );
  }
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The name buf[start, end) as a constant when it is one the handlers know, else a slice. */
function internName(buf: string, start: number, end: number, colon: number): string {
  if (colon < 0 && end - start <= 9) {
    for (const known of KNOWN_NAMES) if (known.length === end - start && buf.startsWith(known, start)) return known;
  }
  return buf.slice(start, end);
}
