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
  actions: ReadonlyMap<string, PlannedAction>,
): string | undefined {
  for (const id of required) {
    const outcome = outcomes.get(id);
    if (outcome?.status === 'ok') continue;
    const dependency = actions.get(id);
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

/**
 * Hands each action over once every action it waits for has finished, without
 * keeping a pending promise per waiting action (a migration may plan 100k).
 * An action whose dependency is not in the plan, or not before it, is handed to
 * `misplaced` at once: waiting for it might never end.
 */
export class DependencyTracker {
  private readonly unfinished = new Map<string, number>();
  private readonly dependents = new Map<string, PlannedAction[]>();
  private readonly dependenciesById = new Map<string, Dependencies>();

  constructor(
    private readonly actions: readonly PlannedAction[],
    private readonly ready: (action: PlannedAction, dependencies: Dependencies) => void,
    private readonly misplaced: (action: PlannedAction, because: string) => void,
  ) {}

  /** Registers every action first, then starts those with nothing to wait for. */
  start(): void {
    const positions = new Map(this.actions.map((action, index) => [action.id, index]));
    const initial: (() => void)[] = [];
    this.actions.forEach((action, position) => {
      const dependencies = dependenciesOf(action);
      this.dependenciesById.set(action.id, dependencies);
      const because = misplacedDependency(dependencies, position, this.actions, positions);
      if (because !== undefined) {
        initial.push(() => this.misplaced(action, because));
        return;
      }
      const waitsFor = [...dependencies.required, ...dependencies.members];
      this.unfinished.set(action.id, waitsFor.length);
      for (const id of waitsFor) {
        const list = this.dependents.get(id);
        if (list === undefined) this.dependents.set(id, [action]);
        else list.push(action);
      }
      if (waitsFor.length === 0) initial.push(() => this.ready(action, dependencies));
    });
    for (const start of initial) start();
  }

  /** Called once when an action has its outcome; starts the dependents it was the last one to wait for. */
  finished(actionId: string): void {
    for (const dependent of this.dependents.get(actionId) ?? []) {
      const left = (this.unfinished.get(dependent.id) ?? 0) - 1;
      this.unfinished.set(dependent.id, left);
      if (left === 0) this.ready(dependent, this.dependenciesById.get(dependent.id)!);
    }
    this.dependents.delete(actionId);
  }
}
