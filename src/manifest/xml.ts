/**
 * A small streaming XML tokenizer for the parts of an XLSX workbook. It
 * reports element starts and ends by local name (namespace prefixes
 * dropped: some writers use `x:c` for `c`) and decoded text, and keeps only
 * the unfinished tail of the input between chunks. Comments, processing
 * instructions and CDATA are understood; DOCTYPE (and with it any custom
 * entity) is refused, as no workbook part has one.
 *
 * It works on the UTF-8 bytes and decodes only the text that is asked for
 * (and attributes): decoding whole parts would create strings as large as
 * the sheet, and values cut out of them would keep those alive.
 */

export interface XmlHandler {
  /** `attributes` is the raw text after the element name; parse it with `parseAttributes` when needed. */
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Called only while `wantsText` is true, with entities decoded; may come in pieces. */
  text(text: string): void;
  wantsText: boolean;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const LESS_THAN = 60;
const GREATER_THAN = 62;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const SLASH = 47;
const EXCLAMATION = 33;
const QUESTION = 63;
const CDATA_OPEN = Buffer.from('<![CDATA[');
const COMMENT_OPEN = Buffer.from('<!--');
const EMPTY = Buffer.alloc(0);

export class XmlScanner {
  private rest: Buffer = EMPTY;

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: Buffer): void {
    const buffer = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    let position = 0;
    for (;;) {
      const start = buffer.indexOf(LESS_THAN, position);
      if (start < 0) break;
      if (start > position && this.handler.wantsText) this.handler.text(decodedText(buffer, position, start));
      const end = this.markup(buffer, start);
      if (end < 0) {
        position = start;
        break;
      }
      position = end;
    }
    // Text with no `<` after it yet may still grow: keep it (as bytes, whole characters or not) for the next chunk.
    this.rest = position === buffer.length ? EMPTY : Buffer.from(buffer.subarray(position));
  }

  /** Call after the last chunk; throws when the input stops inside markup. */
  end(): void {
    if (this.rest.includes(LESS_THAN)) throw new XmlSyntaxError('the XML ends in the middle of a tag');
    this.rest = EMPTY;
  }

  /** Handles the markup starting at `start`; returns the index after it, or -1 when it is not complete yet. */
  private markup(buffer: Buffer, start: number): number {
    const next = buffer[start + 1];
    if (next === undefined) return -1;
    if (next === EXCLAMATION) return this.declaration(buffer, start);
    if (next === QUESTION) return closing(buffer, '?>', start);
    const end = tagEnd(buffer, start + 1);
    if (end < 0) return -1;
    if (next === SLASH) {
      this.handler.close(localName(buffer.toString('latin1', start + 2, end).trim()));
      return end + 1;
    }
    const selfClosing = buffer[end - 1] === SLASH;
    const innerEnd = selfClosing ? end - 1 : end;
    const nameEnd = endOfName(buffer, start + 1, innerEnd);
    const name = localName(buffer.toString('latin1', start + 1, nameEnd));
    const attributes = nameEnd < innerEnd ? buffer.toString('utf8', nameEnd + 1, innerEnd) : '';
    this.handler.open(name, attributes, selfClosing);
    if (selfClosing) this.handler.close(name);
    return end + 1;
  }

  private declaration(buffer: Buffer, start: number): number {
    if (buffer.length - start < COMMENT_OPEN.length) return -1;
    if (buffer.compare(COMMENT_OPEN, 0, COMMENT_OPEN.length, start, start + COMMENT_OPEN.length) === 0) {
      return closing(buffer, '-->', start);
    }
    if (buffer.length - start < CDATA_OPEN.length) return -1;
    if (buffer.compare(CDATA_OPEN, 0, CDATA_OPEN.length, start, start + CDATA_OPEN.length) === 0) {
      const end = buffer.indexOf(']]>', start);
      if (end < 0) return -1;
      if (this.handler.wantsText) this.handler.text(buffer.toString('utf8', start + CDATA_OPEN.length, end));
      return end + 3;
    }
    throw new XmlSyntaxError('the XML has a DOCTYPE or other declaration, which no workbook part has');
  }
}

function decodedText(buffer: Buffer, start: number, end: number): string {
  return decodeEntities(buffer.toString('utf8', start, end));
}

/** The end of the element name starting at `from`: the first white space, or `end`. */
function endOfName(buffer: Buffer, from: number, end: number): number {
  for (let index = from; index < end; index++) {
    const byte = buffer[index];
    if (byte === 32 || byte === 9 || byte === 10 || byte === 13) return index;
  }
  return end;
}

/** Index of the `>` ending the tag whose name starts at `from`, skipping quoted attribute values; -1 if absent. */
function tagEnd(buffer: Buffer, from: number): number {
  let quote = 0;
  for (let index = from; index < buffer.length; index++) {
    const byte = buffer[index];
    if (quote !== 0) {
      if (byte === quote) quote = 0;
    } else if (byte === DOUBLE_QUOTE || byte === SINGLE_QUOTE) {
      quote = byte;
    } else if (byte === GREATER_THAN) {
      return index;
    } else if (byte === LESS_THAN) {
      throw new XmlSyntaxError('the XML has a `<` inside a tag');
    }
  }
  return -1;
}

function closing(buffer: Buffer, terminator: string, start: number): number {
  const end = buffer.indexOf(terminator, start);
  return end < 0 ? -1 : end + terminator.length;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Attributes by local name, values decoded: `r="A2" t="s"` → `{r: 'A2', t: 's'}`. */
export function parseAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (raw === '') return attributes;
  for (const match of raw.matchAll(ATTRIBUTE)) {
    attributes[localName(match[1] ?? '')] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

const ENTITY = /&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
    const code =
      body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
