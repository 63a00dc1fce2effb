import { describe, expect, it } from 'vitest';
import type { ActionOutcome, ApplyResult } from '../../src/apply/index.js';
import {
  FatalApiError,
  Interrupted,
  LockHeldError,
  ManifestError,
  SafetyStop,
  UsageError,
} from '../../src/errors.js';
import type { Plan } from '../../src/plan/index.js';
import { exitCode } from '../../src/run/exit-code.js';
import type { RunEnding, RunRecord } from '../../src/run/record.js';
import { planFor, world } from '../plan/world.js';

const withChanges = planFor(world().account('acme', {}, { state: 'new' }).build());
const noChanges: Plan = { ...withChanges, actions: [] };

function record(ending: RunEnding, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    command: 'apply',
    startedAt: new Date(0),
    finishedAt: new Date(1),
    manifest: { files: [], digest: '' },
    planFrom: 'fresh',
    plan: withChanges,
    detailedExitcode: false,
    ending,
    requests: { total: 0, reads: 0, writes: 0, retries: 0, perSecond: { since: 0, counts: [] } },
    ...overrides,
  };
}

function applied(statuses: ActionOutcome['status'][], stoppedBy?: ApplyResult['stoppedBy']): RunRecord {
  const outcomes = new Map<string, ActionOutcome>(
    statuses.map((status, index) => {
      const base = { attempts: 1, durationMs: 1 };
      const outcome: ActionOutcome =
        status === 'ok'
          ? { status, ...base }
          : status === 'skipped'
            ? { status, because: 'x', ...base }
            : status === 'failed'
              ? { status, error: { kind: 'rejected', message: 'no' }, ...base }
              : { status, ...base };
      return [`action-${index}`, outcome];
    }),
  );
  const result: ApplyResult = {
    outcomes,
    requests: { reads: 0, writes: 0 },
    retries: 0,
    ...(stoppedBy ? { stoppedBy } : {}),
  };
  return record({ kind: 'applied' }, { applied: result });
}

describe('exitCode: every command, from its result or its error (CONTRACT §10)', () => {
  it.each([
    ['plan with changes', record({ kind: 'planned' }, { command: 'plan' }), 0],
    [
      'plan --detailed-exitcode with changes',
      record({ kind: 'planned' }, { command: 'plan', detailedExitcode: true }),
      2,
    ],
    [
      'plan --detailed-exitcode without changes',
      record({ kind: 'planned' }, { command: 'plan', detailedExitcode: true, plan: noChanges }),
      0,
    ],
    ['the safety guard', record({ kind: 'guard', message: 'too many' }), 4],
    ['a stale saved plan', record({ kind: 'stale-plan', refusedBy: 'live-digest', message: 'stale' }), 4],
    ['a "no" at the confirmation', record({ kind: 'declined' }), 1],
    ['SIGINT before apply began', record({ kind: 'interrupted', signal: 'SIGINT' }), 130],
    ['SIGTERM before apply began', record({ kind: 'interrupted', signal: 'SIGTERM' }), 143],
    ['every action ok or skipped', applied(['ok', 'skipped', 'ok']), 0],
    ['an action failed', applied(['ok', 'failed']), 3],
    ['an action of unknown outcome', applied(['ok', 'unknown']), 3],
    ['the circuit breaker', applied(['ok'], 'circuit-breaker'), 3],
    ['an invalid token', applied(['failed'], 'invalid-token'), 1],
    ['a state store that refused a write', applied(['ok'], 'state-store'), 1],
    ['SIGINT during apply', applied(['ok', 'failed'], 'SIGINT'), 130],
    ['SIGTERM during apply', applied(['ok'], 'SIGTERM'), 143],
    ['validate with errors', { command: 'validate' as const, errors: 2 }, 1],
    ['validate with warnings only', { command: 'validate' as const, errors: 0 }, 0],
    [
      'login-links with agents left without a link',
      { command: 'login-links' as const, agentsWithoutLink: 1 },
      3,
    ],
    ['login-links with every link', { command: 'login-links' as const, agentsWithoutLink: 0 }, 0],
    ['a command that finished', { command: 'done' as const }, 0],
  ])('%s → %i', (_what, result, code) => {
    expect(exitCode(result)).toBe(code);
  });

  it.each([
    ['SafetyStop', new SafetyStop('x'), 4],
    ['UsageError', new UsageError('x'), 1],
    ['ManifestError', new ManifestError('x'), 1],
    ['FatalApiError', new FatalApiError('x'), 1],
    ['LockHeldError', new LockHeldError('x'), 1],
    ['a plan interrupted by SIGINT while reading', new Interrupted('SIGINT'), 130],
    ['a plan interrupted by SIGTERM while reading', new Interrupted('SIGTERM'), 143],
    ['an error nobody foresaw', new TypeError('x'), 1],
  ])('%s → %i', (_what, error, code) => {
    expect(exitCode(error)).toBe(code);
  });
});
