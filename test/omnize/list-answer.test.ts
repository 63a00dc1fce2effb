import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KeepItem, ListAnswerParser } from '../../src/omnize/list-answer.js';

/** Feeds `text` to a parser in the given pieces (cut at those offsets), then ends it. */
function parseInPieces(text: string, cuts: number[], keep: KeepItem = (item) => item): unknown {
  const parser = new ListAnswerParser(keep);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.write(text.slice(from, cut));
    from = Math.max(from, cut);
  }
  parser.write(text.slice(from));
  return parser.end();
}

/** What JSON.parse says of `text`: its value, or that it refused it. */
function reference(text: string): { value: unknown } | 'refused' {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return 'refused';
  }
}

function outcome(read: () => unknown): { value: unknown } | 'refused' {
  try {
    return { value: read() };
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return 'refused';
  }
}

const cutsOf = (text: string) => fc.array(fc.nat({ max: text.length }), { maxLength: 8 });

/** Answers of the envelope's shape: members around a `data` list (flat or nested), keys possibly repeated. */
const envelope = fc
  .record({
    before: fc.array(fc.tuple(fc.string(), fc.jsonValue()), { maxLength: 3 }),
    data: fc.oneof(fc.array(fc.jsonValue()), fc.array(fc.array(fc.jsonValue()), { maxLength: 2 })),
    after: fc.array(fc.tuple(fc.constantFrom('data', 'success', 'x'), fc.jsonValue()), { maxLength: 2 }),
    indent: fc.constantFrom(0, 1, '\t'),
  })
  .map(({ before, data, after, indent }) => {
    const members = [...before, ['data', data] as const, ...after];
    const texts = members.map(
      ([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value, null, indent)}`,
    );
    return `{${texts.join(',')}}`;
  });

describe('reading a list answer as it arrives', () => {
  it('gives what JSON.parse gives, whatever the pieces the text comes in', () => {
    fc.assert(
      fc.property(fc.oneof(envelope, fc.json()), fc.context(), (text, context) => {
        context.log(text);
        return fc.assert(
          fc.property(cutsOf(text), (cuts) => {
            expect(outcome(() => parseInPieces(text, cuts))).toStrictEqual(reference(text));
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses, and reads alike what it accepts, of a damaged answer', () => {
    const damaged = envelope.chain((text) =>
      fc
        .record({
          at: fc.nat({ max: text.length }),
          drop: fc.nat({ max: 3 }),
          insert: fc.constantFrom('', ',', ']', '}', '[', '{', '"', '\\', ':', ' ', '1', 'x', '\u00e9'),
        })
        .map(({ at, drop, insert }) => text.slice(0, at) + insert + text.slice(at + drop)),
    );
    fc.assert(
      fc.property(damaged, fc.array(fc.nat({ max: 200 }), { maxLength: 4 }), (text, cuts) => {
        expect(outcome(() => parseInPieces(text, cuts))).toStrictEqual(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands each item of data, and of a list nested in it, to keep, and nothing else', () => {
    const seen: unknown[] = [];
    const keep = (item: unknown) => {
      seen.push(item);
      return typeof item === 'object' && item !== null && 'id' in item ? { id: item.id } : item;
    };
    const text = '{"status":200,"data":[[{"id":1,"name":"Ana"},7]],"success":true,"meta":{"id":2,"x":1}}';
    expect(parseInPieces(text, [3, 30], keep)).toStrictEqual({
      status: 200,
      data: [[{ id: 1 }, 7]],
      success: true,
      meta: { id: 2, x: 1 },
    });
    expect(seen).toStrictEqual([{ id: 1, name: 'Ana' }, 7]);
  });

  it('keeps a __proto__ key as an own member, and the last of a repeated key, as JSON.parse does', () => {
    const text = '{"__proto__":{"polluted":true},"data":[1],"data":[2]}';
    const read = parseInPieces(text, []) as Record<string, unknown>;
    expect(read).toStrictEqual(JSON.parse(text));
    expect(Object.keys(read)).toEqual(['__proto__', 'data']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['nothing', ''],
    ['blanks only', ' \n'],
    ['a cut answer', '{"success":true,"data":[{"id":1}'],
    ['a trailing comma', '{"data":[1,],"success":true}'],
    ['text after the answer', '{"data":[]} x'],
    ['a missing colon', '{"data" []}'],
    ['a blank JSON does not allow', '{"data":\u00a0[]}'],
  ])('refuses %s', (_case, text) => {
    expect(reference(text)).toBe('refused');
    expect(() => parseInPieces(text, [1])).toThrow(SyntaxError);
  });
});
