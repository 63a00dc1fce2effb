/**
 * JSON with comments (JSONC), as the example config files in config/ are
 * written: `// line` and `/* block *\/` comments, and a trailing comma before
 * `}` or `]` (left behind when someone comments out the last key).
 *
 * Comments are found by a scanner that knows where strings start and end, so
 * `"http://host"` keeps its `//`. A regular expression cannot tell the two apart.
 */

/** A JSONC text that cannot be parsed; the message never quotes the text (it may hold a secret). */
export class JsoncSyntaxError extends Error {
  override name = 'JsoncSyntaxError';
  constructor(
    /** What is wrong, without quoting the text. */
    readonly reason: string,
    /** 1-based line and column of the problem, when known. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? reason : `line ${line}, column ${column}: ${reason}`);
  }
}

/** Parses JSONC text into a value; throws JsoncSyntaxError naming the line and column of a mistake. */
export function parseJsonc(text: string): unknown {
  const withoutBom = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const json = stripJsonComments(withoutBom);
  try {
    return JSON.parse(json);
  } catch (error) {
    throw toSyntaxError((error as Error).message, withoutBom);
  }
}

/**
 * Replaces comments and trailing commas with spaces, keeping every line break,
 * so positions in the result are positions in the original text.
 */
export function stripJsonComments(text: string): string {
  const output = text.split('');
  let pendingComma = -1;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '"') {
      index = endOfString(text, index);
      pendingComma = -1;
    } else if (char === '/' && next === '/') {
      const end = endOfLine(text, index);
      blank(output, index, end);
      index = end;
    } else if (char === '/' && next === '*') {
      const close = text.indexOf('*/', index + 2);
      if (close === -1) throw syntaxErrorAt('a /* comment is never closed with */', text, index);
      blank(output, index, close + 2);
      index = close + 2;
    } else {
      if (char === ',') pendingComma = index;
      else if ((char === '}' || char === ']') && pendingComma !== -1) output[pendingComma] = ' ';
      if (char !== ',' && !isWhitespace(char)) pendingComma = -1;
      index += 1;
    }
  }
  return output.join('');
}

/** Index just past the string that opens at `start`; the text's end when it is never closed (JSON.parse says so). */
function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index += 1;
  }
  return text.length;
}

function endOfLine(text: string, start: number): number {
  const newline = text.slice(start).search(/[\r\n]/);
  return newline === -1 ? text.length : start + newline;
}

function blank(output: string[], start: number, end: number): void {
  for (let index = start; index < end; index += 1) {
    if (output[index] !== '\n' && output[index] !== '\r') output[index] = ' ';
  }
}

function isWhitespace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/**
 * V8's messages end with "in JSON at position N", or quote the whole text
 * ("Unexpected token 'x', "{…}" is not valid JSON"): keep the reason, turn
 * the position into a line and column, and drop any quoted text.
 */
function toSyntaxError(message: string, text: string): JsoncSyntaxError {
  const withoutQuote = message.replace(/,\s*(?:\.\.\.)?".*is not valid JSON$/s, '');
  const position = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(withoutQuote);
  if (position === null) return new JsoncSyntaxError(withoutQuote);
  return syntaxErrorAt(withoutQuote.slice(0, position.index), text, Number(position[1]));
}

function syntaxErrorAt(reason: string, text: string, position: number): JsoncSyntaxError {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return new JsoncSyntaxError(reason, line, column);
}
