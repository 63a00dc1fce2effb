import { MAX_MARKUP_BYTES } from './limits.js';
import { decodedText, localName, safeTextEnd } from './xml-text.js';

export { decodeEntities, parseAttributes } from './xml-text.js';

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
 *
 * Every byte is looked at a bounded number of times, whatever the input: a
 * text run with no `<` in it is handed on as it comes (or dropped, when no
 * text is wanted), keeping at most a cut character or entity; the search
 * for the end of an unfinished tag resumes where it stopped; and markup
 * longer than MAX_MARKUP_BYTES is refused rather than buffered.
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

/** A tag, comment or CDATA section longer than MAX_MARKUP_BYTES, which no workbook part has. */
export class XmlMarkupTooLongError extends Error {
  override name = 'XmlMarkupTooLongError';
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
  /** Input not handled yet, at the start of `carry`: an unfinished markup, or a text's last bytes. */
  private carry: Buffer = EMPTY;
  private carried = 0;
  /** For an unfinished markup carried: how many of its bytes were searched for its end, and the quote open there. */
  private searched = 0;
  private searchedQuote = 0;

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: Buffer): void {
    if (this.carried === 0) {
      this.carryFrom(chunk, this.scan(chunk));
      return;
    }
    const buffer = this.joined(chunk);
    const position = this.scan(buffer);
    buffer.copyWithin(0, position);
    this.carried = buffer.length - position;
  }

  /** Call after the last chunk; throws when the input stops inside markup. */
  end(): void {
    if (this.carry.subarray(0, this.carried).includes(LESS_THAN)) {
      throw new XmlSyntaxError('the XML ends in the middle of a tag');
    }
    this.carried = 0;
  }

  /** Bytes kept for the next chunk: never more than one markup's or a few of a text's. */
  get carriedBytes(): number {
    return this.carried;
  }

  /** Handles what `buffer` completes; returns where the input still to be kept starts. */
  private scan(buffer: Buffer): number {
    let position = 0;
    for (;;) {
      const start = buffer.indexOf(LESS_THAN, position);
      if (start < 0) return this.textToTheEnd(buffer, position);
      if (start > position && this.handler.wantsText) this.handler.text(decodedText(buffer, position, start));
      const end = this.markup(buffer, start);
      if (end < 0) {
        if (buffer.length - start > MAX_MARKUP_BYTES) {
          throw new XmlMarkupTooLongError(`a tag or comment is longer than ${MAX_MARKUP_BYTES} bytes`);
        }
        return start;
      }
      position = end;
    }
  }

  /** Text that may go on in the next chunk: what cannot change is handed on (or dropped) now. */
  private textToTheEnd(buffer: Buffer, position: number): number {
    if (!this.handler.wantsText) return buffer.length;
    const safe = safeTextEnd(buffer, position);
    if (safe > position) this.handler.text(decodedText(buffer, position, safe));
    return safe;
  }

  /** The carried bytes followed by the chunk, in `carry`, grown by doubling so that joining stays linear. */
  private joined(chunk: Buffer): Buffer {
    const length = this.carried + chunk.length;
    if (length > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, 2 * this.carry.length));
      this.carry.copy(grown, 0, 0, this.carried);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carried);
    return this.carry.subarray(0, length);
  }

  private carryFrom(chunk: Buffer, position: number): void {
    this.carried = chunk.length - position;
    if (this.carried > this.carry.length) this.carry = Buffer.allocUnsafe(Math.max(this.carried, 1024));
    chunk.copy(this.carry, 0, position);
  }

  /** Handles the markup starting at `start`; returns the index after it, or -1 when it is not complete yet. */
  private markup(buffer: Buffer, start: number): number {
    // Only the markup left unfinished, carried at 0, has been searched before.
    const searched = start === 0 ? this.searched : 0;
    const quote = start === 0 ? this.searchedQuote : 0;
    this.searched = 0;
    this.searchedQuote = 0;
    const next = buffer[start + 1];
    if (next === undefined) return -1;
    if (next === EXCLAMATION) return this.declaration(buffer, start, searched);
    if (next === QUESTION) return this.closing(buffer, '?>', start, searched);
    const end = this.tagEnd(buffer, start, Math.max(1, searched), quote);
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

  private declaration(buffer: Buffer, start: number, searched: number): number {
    if (buffer.length - start < COMMENT_OPEN.length) return -1;
    if (buffer.compare(COMMENT_OPEN, 0, COMMENT_OPEN.length, start, start + COMMENT_OPEN.length) === 0) {
      return this.closing(buffer, '-->', start, searched);
    }
    if (buffer.length - start < CDATA_OPEN.length) return -1;
    if (buffer.compare(CDATA_OPEN, 0, CDATA_OPEN.length, start, start + CDATA_OPEN.length) === 0) {
      const end = this.closing(buffer, ']]>', start, searched);
      if (end >= 0 && this.handler.wantsText) {
        this.handler.text(buffer.toString('utf8', start + CDATA_OPEN.length, end - 3));
      }
      return end;
    }
    throw new XmlSyntaxError('the XML has a DOCTYPE or other declaration, which no workbook part has');
  }

  /**
   * Index of the `>` ending the tag at `start`, skipping quoted attribute
   * values; the search starts `from` bytes in, with `quote` open there.
   * -1 if absent, remembering how far it looked.
   */
  private tagEnd(buffer: Buffer, start: number, from: number, quote: number): number {
    let open = quote;
    for (let index = start + from; index < buffer.length; index++) {
      const byte = buffer[index];
      if (open !== 0) {
        if (byte === open) open = 0;
      } else if (byte === DOUBLE_QUOTE || byte === SINGLE_QUOTE) {
        open = byte;
      } else if (byte === GREATER_THAN) {
        return index;
      } else if (byte === LESS_THAN) {
        throw new XmlSyntaxError('the XML has a `<` inside a tag');
      }
    }
    this.searched = buffer.length - start;
    this.searchedQuote = open;
    return -1;
  }

  /** The index after `terminator`, searched for from where an earlier chunk stopped; -1 if absent. */
  private closing(buffer: Buffer, terminator: string, start: number, searched: number): number {
    const end = buffer.indexOf(terminator, Math.max(start, start + searched - terminator.length + 1));
    if (end >= 0) return end + terminator.length;
    this.searched = buffer.length - start;
    return -1;
  }
}

/** The end of the element name starting at `from`: the first white space, or `end`. */
function endOfName(buffer: Buffer, from: number, end: number): number {
  for (let index = from; index < end; index++) {
    const byte = buffer[index];
    if (byte === 32 || byte === 9 || byte === 10 || byte === 13) return index;
  }
  return end;
}
