import type { PlannedAction } from '../plan/action.js';
import type { ActionOutcome } from './types.js';
import { actionInWords, endedInWords } from './words.js';

/**
 * What an action waits for. `required`: its `dependsOn` and the actions its
 * own IDs come from; if one of them is not `ok`, the action is skipped.
 * `members`: the creates of agents a membership batch names; one that did not
 * succeed holds back only its own agent.
 */
export interface Dependencies {
  required: string[];
  members: string[];
}

export function dependenciesOf(action: PlannedAction): Dependencies {
  const members = new Set<string>();
  if (action.kind === 'department.add_agents' || action.kind === 'department.remove_agents') {
    for (const member of action.params.agents) {
      if (typeof member.agentId !== 'number') members.add(member.agentId.fromAction);
    }
  }
  const required = new Set<string>();
  for (const id of action.dependsOn) if (!members.has(id)) required.add(id);
  for (const value of Object.values(action.params)) {
    if (isReference(value)) required.add(value.fromAction);
  }
  return { required: [...required], members: [...members] };
}

/**
 * Why an action cannot wait for its dependencies: one that is not in the plan
 * or comes after it (a hand-edited saved plan) would never finish first.
 */
export function misplacedDependency(
  dependencies: Dependencies,
  position: number,
  actions: readonly PlannedAction[],
  positions: ReadonlyMap<string, number>,
): string | undefined {
  for (const id of [...dependencies.required, ...dependencies.members]) {
    const at = positions.get(id);
    const dependency = at === undefined ? undefined : actions[at];
    if (at === undefined || dependency === undefined) {
      return 'it depends on an action the plan does not hold; make the plan again';
    }
    if (at >= position) return `${actionInWords(dependency)} comes after it in the plan; make the plan again`;
  }
  return undefined;
}

/**
 * Why an action is skipped when a required dependency is not `ok`, in words a person reads:
 * `creating account acme (accounts.csv:2) failed`. Never the dependency's plan ID.
 */
export function failedDependency(
  required: readonly string[],
  outcomes: ReadonlyMap<string, ActionOutcome>,
  actionOf: (id: string) => PlannedAction | undefined,
): string | undefined {
  for (const id of required) {
    const outcome = outcomes.get(id);
    if (outcome?.status === 'ok') continue;
    const dependency = actionOf(id);
    // The tracker checks every dependency is in the plan before it hands an action over.
    const what = dependency === undefined ? 'an action it depends on' : actionInWords(dependency);
    return `${what} ${endedInWords(outcome)}`;
  }
  return undefined;
}

function isReference(value: unknown): value is { fromAction: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { fromAction?: unknown }).fromAction === 'string'
  );
}
