import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsoncSyntaxError, parseJsonc, stripJsonComments } from '../../src/config/jsonc.js';

describe('parseJsonc', () => {
  it('drops // and /* */ comments but keeps them inside strings', () => {
    const text = [
      '// leading comment',
      '{ /* block',
      '   over lines */ "url": "http://host/a//b", // trailing',
      '  "pattern": "/* not a comment */",',
      '  "quote": "a \\" // still a string", "slash": "\\\\" // after an escaped backslash',
      '}',
    ].join('\n');
    expect(parseJsonc(text)).toEqual({
      url: 'http://host/a//b',
      pattern: '/* not a comment */',
      quote: 'a " // still a string',
      slash: '\\',
    });
  });

  it('accepts a trailing comma, as left when the last key is commented out', () => {
    expect(parseJsonc('{ "a": 1,\n // "b": 2\n}')).toEqual({ a: 1 });
    expect(parseJsonc('[1, 2, /* 3 */ ]')).toEqual([1, 2]);
    expect(parseJsonc('{ "a": ",}" }')).toEqual({ a: ',}' });
    expect(() => parseJsonc('[1,,2]')).toThrow(JsoncSyntaxError);
  });

  it('accepts a byte-order mark, as Windows editors save one', () => {
    expect(parseJsonc('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it('names the line and column of a mistake, counted in the file as written', () => {
    const text = '// settings\n{\n  /* rate */ "rate": 5\n  "retries": 2\n}';
    expect(() => parseJsonc(text)).toThrow(/line 4, column 3: Expected ',' or '}'/);
    expect(() => parseJsonc('{\n  "a": 1 /* never closed\n}')).toThrow(/line 2, column 10: .*never closed/);
  });

  it('never quotes the text in its message, which could hold a secret', () => {
    const attempts = ['{"key": s3cr3t-value}', `{${'"pad": 1, '.repeat(20)}"key": s3cr3t-value}`];
    for (const text of attempts) {
      expect(() => parseJsonc(text)).toThrow(JsoncSyntaxError);
      try {
        parseJsonc(text);
      } catch (error) {
        expect((error as Error).message).not.toMatch(/s3cr3t/);
      }
    }
  });

  it('keeps every position: the stripped text has the same length and line breaks', () => {
    const text = '{ // one\r\n "a": /* two */ 1, }\n';
    const stripped = stripJsonComments(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.replace(/[^\r\n]/g, '')).toBe(text.replace(/[^\r\n]/g, ''));
  });

  it('parses any plain JSON exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(parseJsonc(text)).toEqual(JSON.parse(text));
      }),
    );
  });
});
