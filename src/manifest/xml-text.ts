/**
 * The text side of the XML scanner: decoding entities and attribute values,
 * and finding where text that goes on in the next chunk can be cut.
 */

const AMPERSAND = 38;
const SEMICOLON = 59;
/**
 * The longest entity an unfinished text keeps for the next chunk.
 * `&#x10FFFF;` is 10 bytes; numeric entities may have leading zeros, which
 * no writer measured uses: 32 leaves room for a few.
 */
const LONGEST_ENTITY = 32;

/**
 * Where text running to the end of the buffer can be cut: not inside an
 * entity (an `&` among the last bytes with no `;` after it) nor inside a
 * UTF-8 character. What comes after is kept for the next chunk.
 */
export function safeTextEnd(buffer: Buffer, from: number): number {
  for (let index = buffer.length - 1; index >= Math.max(from, buffer.length - LONGEST_ENTITY); index--) {
    const byte = buffer[index];
    if (byte === SEMICOLON) break;
    if (byte === AMPERSAND) return index;
  }
  return Math.max(from, completeCharacters(buffer));
}

/** The length of `buffer` without a multi-byte character whose last bytes are still to come. */
function completeCharacters(buffer: Buffer): number {
  for (let back = 1; back <= Math.min(4, buffer.length); back++) {
    const byte = buffer[buffer.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? buffer.length - back : buffer.length;
  }
  return buffer.length;
}

export function decodedText(buffer: Buffer, start: number, end: number): string {
  return decodeEntities(buffer.toString('utf8', start, end));
}

export function localName(name: string): string {
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
