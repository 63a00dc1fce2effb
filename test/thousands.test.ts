import { describe, expect, it } from 'vitest';
import { groupThousands } from '../src/thousands.js';

describe('groupThousands', () => {
  it('writes whole numbers as toLocaleString("en-US") does', () => {
    const values = [
      0, 7, 999, 1000, 1001, 32_767, 99_999, 100_000, 1_048_576, 1_234_567_890, -1, -1000, -1_234_567,
    ];
    for (const value of values) expect(groupThousands(value)).toBe(value.toLocaleString('en-US'));
  });

  it('rounds to a whole number first', () => {
    expect(groupThousands(1234.5)).toBe('1,235');
    expect(groupThousands(999.4)).toBe('999');
    expect(groupThousands(-0.2)).toBe('0');
  });

  it('leaves what is not a finite number as JavaScript writes it', () => {
    expect(groupThousands(Number.NaN)).toBe('NaN');
    expect(groupThousands(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
