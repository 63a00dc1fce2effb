import realAssert from 'node:assert';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const standIn = createRequire(import.meta.url)(
  '../../scripts/assert-on-first-failure.cjs',
) as typeof realAssert;

/** What a call gives: undefined when it passes, else the error's class and message. */
function outcome(call: () => unknown): { error: string; message: string } | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe("the bundle's stand-in for node:assert", () => {
  const pairs: [unknown, unknown][] = [
    [1, 1],
    [1, 2],
    [1, '1'],
    [Number.NaN, Number.NaN],
    [0, -0],
    [undefined, null],
    [{}, {}],
  ];

  it('passes and fails strictEqual and notStrictEqual as node:assert does, with its error and message', () => {
    for (const [actual, expected] of pairs) {
      for (const name of ['strictEqual', 'notStrictEqual'] as const) {
        expect(
          outcome(() => standIn[name](actual, expected, 'why')),
          `${name}(${String(actual)})`,
        ).toEqual(outcome(() => realAssert[name](actual, expected, 'why')));
      }
    }
    expect(outcome(() => standIn.strictEqual(1, 2))?.error).toBe('AssertionError');
  });

  it('passes and fails assert() and ok() as node:assert does, a call with no value included', () => {
    for (const value of [true, 1, 'x', {}, false, 0, '', null, undefined]) {
      expect(outcome(() => standIn(value, 'why'))).toEqual(outcome(() => realAssert(value, 'why')));
      expect(outcome(() => standIn.ok(value, 'why'))).toEqual(outcome(() => realAssert.ok(value, 'why')));
      // Without a message node:assert quotes the failing call's source, here the stand-in's own.
      expect(outcome(() => standIn.ok(value))?.error).toBe(outcome(() => realAssert.ok(value))?.error);
    }
    expect(outcome(() => (standIn as unknown as () => void)())).toEqual(
      outcome(() => (realAssert as unknown as () => void)()),
    );
  });

  it("hands node:assert's other functions their calls", () => {
    expect(outcome(() => standIn.deepStrictEqual({ a: 1 }, { a: 1 }))).toBeUndefined();
    expect(outcome(() => standIn.deepStrictEqual({ a: 1 }, { a: 2 }))?.error).toBe('AssertionError');
  });
});
