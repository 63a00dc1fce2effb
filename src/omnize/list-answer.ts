import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isBlank,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  ValueScanner,
} from './value-scanner.js';

/** What the caller keeps of one item of the list (a reduced copy, or what it maps the item to); the list holds it. */
export type KeepItem = (item: unknown) => unknown;

/** The next thing the answer may hold, outside a value being scanned. */
type Expect =
  | 'answer'
  | 'first-key'
  | 'key'
  | 'colon'
  | 'member-value'
  | 'member-next'
  | 'first-item'
  | 'item'
  | 'item-next'
  | 'end';

/** What a scanned value is, once complete. */
type ValueRole = 'key' | 'member' | 'item';

/** The member whose list is read item by item: where every list answer of the document has it. */
const LIST_MEMBER = 'data';
/** `data` and one list nested in it: the document's `[listOfAgents]`. Deeper lists are items. */
const MAX_LIST_DEPTH = 2;

/**
 * Reads a list answer (`{"status":200,"success":true,"data":[…]}`) as its body arrives, keeping of
 * each item of `data` only what the caller needs. `GET /agents` answers ~380 bytes per agent, 18
 * fields of which the program reads 7, and the department members' answer whole agents too:
 * holding each whole text and its parsed value, for the 120 lists of a 100,000-agent plan read at
 * once, took its peak from ~230 MiB to 310–345 MiB. Here each item is parsed alone (by JSON.parse,
 * so its values are exactly its own) and handed to `keep` at once; only what it keeps stays.
 *
 * The value given is the one `JSON.parse` gives for the whole text, with each item of `data`, and
 * of a list nested in it (the document's `[listOfAgents]`), replaced by `keep(item)`. A text that
 * is not JSON throws a SyntaxError at `end()`, as JSON.parse would; an answer that is not an object
 * is parsed whole. Not for answers whose other members are large: they are held whole.
 */
export class ListAnswerParser {
  private expect: Expect = 'answer';
  private failed = false;
  /** The whole text, for an answer that is not an object (parsed whole at the end). */
  private whole: string | undefined;
  private readonly answer: Record<string, unknown> = {};
  private key = '';
  /** The lists being read: `data`, and the list nested in it. */
  private readonly lists: unknown[][] = [];
  private readonly scanner = new ValueScanner();
  private role: ValueRole = 'member';

  constructor(private readonly keep: KeepItem) {}

  /** The next piece of the answer's text. */
  write(text: string): void {
    if (this.failed) return;
    if (this.whole !== undefined) {
      this.whole += text;
      return;
    }
    this.scanner.nextPiece();
    let index = 0;
    while (index < text.length && !this.failed) {
      if (this.scanner.active) {
        const end = this.scanner.scan(text, index);
        if (end < 0) return;
        this.complete(this.scanner.take(text, end));
        index = end;
        continue;
      }
      const code = text.charCodeAt(index);
      if (isBlank(code)) {
        index += 1;
      } else if (this.expect === 'answer' && code !== OPEN_BRACE) {
        this.whole = text.slice(index);
        return;
      } else {
        index = this.step(code, text, index);
      }
    }
  }

  /** The answer's value; a SyntaxError when its text was not JSON. */
  end(): unknown {
    if (this.whole !== undefined) return JSON.parse(this.whole);
    if (this.failed || this.expect !== 'end') throw new SyntaxError('the answer is not complete JSON');
    return this.answer;
  }

  /** One structural character (or the first of a value); gives the index to go on from. */
  private step(code: number, text: string, index: number): number {
    switch (this.expect) {
      case 'answer':
        this.expect = 'first-key';
        return index + 1;
      case 'first-key':
      case 'key':
        if (code === CLOSE_BRACE && this.expect === 'first-key') return this.closeAnswer(index);
        return code === QUOTE ? this.startValue('key', text, index) : this.fail();
      case 'colon':
        if (code !== COLON) return this.fail();
        this.expect = 'member-value';
        return index + 1;
      case 'member-value':
        if (code === OPEN_BRACKET && this.key === LIST_MEMBER) return this.openList(index);
        return this.startValue('member', text, index);
      case 'member-next':
        if (code === CLOSE_BRACE) return this.closeAnswer(index);
        this.expect = 'key';
        return code === COMMA ? index + 1 : this.fail();
      case 'first-item':
      case 'item':
        if (code === CLOSE_BRACKET && this.expect === 'first-item') return this.closeList(index);
        if (code === OPEN_BRACKET && this.lists.length < MAX_LIST_DEPTH) return this.openList(index);
        return this.startValue('item', text, index);
      case 'item-next':
        if (code === CLOSE_BRACKET) return this.closeList(index);
        this.expect = 'item';
        return code === COMMA ? index + 1 : this.fail();
      default:
        return this.fail();
    }
  }

  private startValue(role: ValueRole, text: string, index: number): number {
    const code = text.charCodeAt(index);
    // A delimiter cannot begin a value; everything else is checked by JSON.parse once complete.
    if (code === COMMA || code === COLON || code === CLOSE_BRACE || code === CLOSE_BRACKET)
      return this.fail();
    this.role = role;
    return this.scanner.begin(text, index);
  }

  /** A scanned value is complete: parse it and put it where it belongs. */
  private complete(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail();
      return;
    }
    if (this.role === 'key') {
      this.key = value as string;
      this.expect = 'colon';
    } else if (this.role === 'member') {
      this.setMember(value);
    } else {
      this.lists.at(-1)!.push(this.keep(value));
      this.expect = 'item-next';
    }
  }

  private openList(index: number): number {
    this.lists.push([]);
    this.expect = 'first-item';
    return index + 1;
  }

  private closeList(index: number): number {
    const list = this.lists.pop()!;
    const outer = this.lists.at(-1);
    if (outer === undefined) {
      this.setMember(list);
    } else {
      outer.push(list);
      this.expect = 'item-next';
    }
    return index + 1;
  }

  private setMember(value: unknown): void {
    // As JSON.parse does: an own property even for `__proto__`, the last of a repeated key winning.
    Object.defineProperty(this.answer, this.key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    this.expect = 'member-next';
  }

  private closeAnswer(index: number): number {
    this.expect = 'end';
    return index + 1;
  }

  private fail(): number {
    this.failed = true;
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Reads a list answer's body to its end through a ListAnswerParser. Gives the answer's value, or
 * throws its SyntaxError, when called: after the HTTP status is judged, as for any answer.
 */
export async function readListAnswer(
  body: AsyncIterable<Uint8Array>,
  keep: KeepItem,
): Promise<() => unknown> {
  const parser = new ListAnswerParser(keep);
  // Decoded as response.text() does: UTF-8, a leading BOM dropped, bad bytes replaced.
  const decoder = new TextDecoder();
  for await (const chunk of body) parser.write(decoder.decode(chunk, { stream: true }));
  parser.write(decoder.decode());
  return () => parser.end();
}
