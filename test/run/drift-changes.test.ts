import { describe, expect, it } from 'vitest';
import type { Plan, PlannedAction } from '../../src/plan/index.js';
import { driftChangesOf } from '../../src/run/record.js';

const withCauses = (...causes: (PlannedAction['cause'] | undefined)[]) =>
  ({ actions: causes.map((cause) => ({ kind: 'agent.update', cause }) as PlannedAction) }) as Plan;

describe('driftChangesOf', () => {
  it('counts the actions of the run plan whose cause is drift, none for a plan saved before causes', () => {
    expect(driftChangesOf({ plan: withCauses('drift', 'manifest', 'new', 'drift') })).toBe(2);
    expect(driftChangesOf({ plan: withCauses(undefined, undefined) })).toBe(0);
    expect(driftChangesOf({ plan: withCauses() })).toBe(0);
  });
});
