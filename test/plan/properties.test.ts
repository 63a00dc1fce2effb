import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailKey } from '../../src/model/vocabulary.js';
import { renderPlanJson } from '../../src/plan/render.js';
import { scenarios } from './arbitraries.js';
import { applyPlan } from './model.js';
import { mismatches } from './oracle.js';
import { planFor, testFingerprint } from './world.js';

/** CI runs each property this many times (the "at least 1,000 cases each"). */
const RUNS = 1000;

describe('planner properties', () => {
  it('applying the plan yields the world the manifest describes', () => {
    fc.assert(
      fc.property(scenarios, ({ world, options }) => {
        const after = applyPlan(world, planFor(world, options));
        expect(mismatches(world, after, options)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('planning again after applying yields no action (deletes without --allow-delete stay waiting)', () => {
    fc.assert(
      fc.property(scenarios, ({ world, options }) => {
        const first = planFor(world, options);
        const second = planFor(applyPlan(world, first), options);
        const waiting = first.actions
          .filter((action) => action.requires !== undefined)
          .map((action) => action.id);
        expect(second.actions.map((action) => action.id)).toEqual(waiting);
        if (options.allowDelete) expect(second.actions).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never sends a password to an existing agent the state store has no record of', () => {
    fc.assert(
      fc.property(scenarios, ({ world, options }) => {
        const recorded = new Set(world.remembered.agents.map((agent) => `${agent.accountId}/${agent.email}`));
        const existing = new Map(
          [...world.observed.accounts.values()].flatMap((contents) =>
            contents.agents.map(
              (agent) => [agent.id, `${agent.accountId}/${emailKey(agent.email)}`] as const,
            ),
          ),
        );
        for (const action of planFor(world, options).actions) {
          if (action.kind !== 'agent.update' || action.params.password !== 'from-manifest') continue;
          expect(recorded.has(existing.get(action.params.agentId as number)!)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('orders dependencies first, gives unique IDs, is deterministic and holds no secret', () => {
    fc.assert(
      fc.property(scenarios, ({ world, options }) => {
        const plan = planFor(world, options);
        const seen = new Set<string>();
        for (const action of plan.actions) {
          expect(seen.has(action.id)).toBe(false);
          for (const dependency of action.dependsOn) expect(seen.has(dependency)).toBe(true);
          seen.add(action.id);
        }
        const json = renderPlanJson(plan);
        expect(renderPlanJson(planFor(world, options))).toBe(json);
        const passwords = [...world.desired.accounts, ...world.desired.agents].flatMap(
          (row) => row.password ?? [],
        );
        for (const password of passwords) {
          expect(json).not.toContain(password);
          expect(json).not.toContain(testFingerprint(password));
        }
      }),
      { numRuns: RUNS },
    );
  });
});
