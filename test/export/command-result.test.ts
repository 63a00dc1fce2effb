import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/run/exit-code.js';

describe("export's exit code (CONTRACT §10)", () => {
  it('is 0 once the files are written, also when they do not read back exactly (the command warns)', () => {
    const written = { command: 'export' as const, accounts: 2, departments: 3, agents: 9 };
    expect(exitCode({ ...written, exact: true })).toBe(0);
    expect(exitCode({ ...written, exact: false })).toBe(0);
  });
});
