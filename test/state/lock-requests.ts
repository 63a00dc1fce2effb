import { hostname } from 'node:os';
import type { LockHolder, LockResult } from '../../src/state/index.js';

export const HERE = hostname();

/** A request for the run lock from this process, as a run makes it; `overrides` play another one. */
export const lockRequest = (
  runId: string,
  overrides: Partial<{ host: string; pid: number; pidScope: string }> = {},
) => ({
  runId,
  host: HERE,
  pid: process.pid,
  command: 'apply',
  ...overrides,
});

/** The holder named by a refusal; a test expecting a refusal fails when the lock was granted. */
export function holderOf(result: LockResult): LockHolder {
  if (result.acquired) throw new Error('expected the lock to be refused');
  return result.holder;
}
