import type { FieldValues, MemberRef, PlannedAction } from '../plan/index.js';

/**
 * The format of plan.json and of saved plans (`plan --out`). Format 1 is the plan as
 * `plan --json` prints it. Format 2 is the same plan with what a reader can restore exactly
 * left out, because at 100,000 agents format 1 was ~900 bytes per action (90 MB) even without
 * indentation: every source repeated its file's path, every reference repeated a long action
 * ID, and `after` repeated `params`. Format 2:
 * - `files` lists the manifest files; a `source`'s `file` is an index into it;
 * - a reference to another action (`dependsOn`, `{ fromAction }`) is that action's index in
 *   `actions`, not its ID;
 * - `id` is left out when it is `kind:account:target` with the target lower-cased;
 * - `dependsOn` is left out when it is the references of `params` (see `paramsReferences`);
 * - `before` and `after` are left out when empty, and are a list of field names when every
 *   value is the same-named param's (a member list shows as its labels);
 * - every action keeps its `cause` (CONTRACT §14);
 * - a member of a batch leaves out its `reason` and its `cause` when they are the batch's, and its `label` and
 *   `source` when they are the target and source of the agent's create it refers to.
 * Each is left out only when the rule gives it back as it was, so reading restores the plan.
 */
export const COMPACT_PLAN_FORMAT_VERSION = 2;

/** The ID the planner gives an action when no other action has it: `kind:account:identity`. */
export function usualActionId(action: Pick<PlannedAction, 'kind' | 'account' | 'target'>): string {
  return `${action.kind}:${action.account}:${action.target.toLowerCase()}`;
}

/** The action a reference names, or undefined for an Omnize ID. */
export function referencedAction(value: unknown): string | number | undefined {
  if (value === null || typeof value !== 'object' || !('fromAction' in value)) return undefined;
  const named = (value as { fromAction: unknown }).fromAction;
  return typeof named === 'string' || typeof named === 'number' ? named : undefined;
}

/**
 * The actions `params` refers to, each once: its own fields' references (by field name), then
 * its members' agents in member order. The planner's `dependsOn` is usually exactly this.
 */
export function paramsReferences(params: Record<string, unknown>): (string | number)[] {
  // A set: a batch of 1,000 members searched as a list was a million comparisons.
  const references = new Set<string | number>();
  const add = (value: unknown) => {
    const named = referencedAction(value);
    if (named !== undefined) references.add(named);
  };
  const fields = Object.keys(params).sort();
  for (const field of fields) add(params[field]);
  for (const member of membersOf(params) ?? []) add(member.agentId);
  return [...references];
}

/** A batch's members (`department.add_agents`, `remove_agents`), or undefined for any other params. */
export function membersOf(params: Record<string, unknown>): Partial<MemberRef>[] | undefined {
  const members = params.agents;
  return Array.isArray(members) && members.every((member) => typeof member === 'object' && member !== null)
    ? (members as Partial<MemberRef>[])
    : undefined;
}

/** How `before`/`after` show a param: a member list by its labels, any other value as it is. */
export function shownParam(params: Record<string, unknown>, field: string): unknown {
  const members = field === 'agents' ? membersOf(params) : undefined;
  return members === undefined ? params[field] : members.map((member) => member.label);
}

/** Whether `before`/`after` can be written as the names of its fields (format 2). */
export function fieldsShowParams(values: FieldValues, params: Record<string, unknown>): boolean {
  const fields = Object.keys(values);
  return fields.length > 0 && fields.every((field) => sameValue(values[field], shownParam(params, field)));
}

/** Equal as JSON values of `before`/`after` are: primitives, or arrays of them. */
export function sameValue(left: unknown, right: unknown): boolean {
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, index) => sameValue(item, right[index]));
  }
  return left === right && (left === null || typeof left !== 'object');
}
