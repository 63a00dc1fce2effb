import { describe, expect, it } from 'vitest';
import { neutraliseCell, restoreNeutralisedCell } from '../../src/model/cells.js';

describe('neutraliseCell', () => {
  it.each(['=HYPERLINK("http://x")', '+55 11 9999', '-1', '@SUM(A1)'])('makes %s inert', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it('leaves ordinary text alone', () => {
    expect(neutraliseCell('João Ávila')).toBe('João Ávila');
    expect(neutraliseCell('a=b')).toBe('a=b');
  });
});

describe('restoreNeutralisedCell', () => {
  it('undoes neutraliseCell, and only that', () => {
    for (const value of ['+55 11 3333-0000', '=1+1', '-3', '@home', 'João']) {
      expect(restoreNeutralisedCell(neutraliseCell(value))).toBe(value);
    }
    expect(restoreNeutralisedCell("'quoted by the partner")).toBe("'quoted by the partner");
  });
});
