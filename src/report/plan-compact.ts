import type { SourceLocation } from '../model/source.js';
import type { FieldValues, IdRef, MemberRef, Plan, PlannedAction } from '../plan/index.js';
import {
  fieldsShowParams,
  membersOf,
  paramsReferences,
  referencedAction,
  sameValue,
  usualActionId,
} from './plan-format.js';

/** What writing a plan in format 2 looks up: the manifest files' numbers and each action's position. */
export interface PlanIndex {
  files: string[];
  fileNumbers: Map<string, number>;
  positions: Map<string, number>;
  actions: readonly PlannedAction[];
}

/** The files the plan's sources name, in first-seen order, and where each action stands. */
export function indexPlan(plan: Plan): PlanIndex {
  const index: PlanIndex = { files: [], fileNumbers: new Map(), positions: new Map(), actions: plan.actions };
  const addFile = (source: SourceLocation | undefined) => {
    if (source === undefined || index.fileNumbers.has(source.file)) return;
    index.fileNumbers.set(source.file, index.files.length);
    index.files.push(source.file);
  };
  plan.actions.forEach((action, position) => {
    index.positions.set(action.id, position);
    addFile(action.source);
    for (const member of membersOf(action.params as unknown as Record<string, unknown>) ?? []) {
      addFile(member.source);
    }
  });
  return index;
}

/**
 * One action in format 2 (see plan-format.ts): what the reader restores exactly is left out.
 * Built key by key in the action's own order, not copied and then trimmed with `delete`: a deleted
 * key leaves V8 an object in dictionary mode, slower to build and to stringify (plan.json of a
 * 1,000-action apply is written as the run ends).
 */
export function compactAction(action: PlannedAction, index: PlanIndex): Record<string, unknown> {
  const params = action.params as unknown as Record<string, unknown>;
  const compact: Record<string, unknown> = {};
  for (const key of Object.keys(action) as (keyof PlannedAction)[]) {
    switch (key) {
      case 'id':
        if (action.id !== usualActionId(action)) compact.id = action.id;
        break;
      case 'dependsOn':
        if (!sameValue(action.dependsOn, paramsReferences(params))) {
          compact.dependsOn = action.dependsOn.map((id) => index.positions.get(id) ?? id);
        }
        break;
      case 'before':
      case 'after':
        setFields(compact, key, action[key], params);
        break;
      case 'source':
        compact.source = action.source === undefined ? undefined : compactSource(action.source, index);
        break;
      case 'params':
        compact.params = compactParams(action, index);
        break;
      default:
        compact[key] = action[key];
    }
  }
  if (!('params' in compact)) compact.params = compactParams(action, index);
  return compact;
}

function setFields(
  compact: Record<string, unknown>,
  key: 'before' | 'after',
  values: FieldValues,
  params: Record<string, unknown>,
): void {
  if (Object.keys(values).length === 0) return;
  compact[key] = fieldsShowParams(values, params) ? Object.keys(values) : values;
}

function compactParams(action: PlannedAction, index: PlanIndex): Record<string, unknown> {
  const compact: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(action.params)) {
    compact[field] = compactReference(value, index);
  }
  const members = membersOf(action.params as unknown as Record<string, unknown>);
  if (members !== undefined) compact.agents = members.map((member) => compactMember(member, action, index));
  return compact;
}

/** A reference to an action of the plan as its position; an Omnize ID, or any other value, as it is. */
function compactReference(value: unknown, index: PlanIndex): unknown {
  const named = referencedAction(value);
  const position = typeof named === 'string' ? index.positions.get(named) : undefined;
  return position === undefined ? value : { fromAction: position };
}

function compactMember(
  member: Partial<MemberRef>,
  batch: PlannedAction,
  index: PlanIndex,
): Record<string, unknown> {
  const compact: Record<string, unknown> = { ...member, agentId: compactReference(member.agentId, index) };
  if (member.reason === batch.reason) delete compact.reason;
  if (member.cause === batch.cause) delete compact.cause;
  const created = createdBy(member.agentId, index);
  if (created !== undefined && created.target === member.label) delete compact.label;
  if (created?.source !== undefined && member.source === undefined) {
    // Left out, the create's source would be read back: say there is none.
    compact.source = null;
  } else if (member.source !== undefined) {
    if (created?.source !== undefined && sameSource(created.source, member.source)) delete compact.source;
    else compact.source = compactSource(member.source, index);
  }
  return compact;
}

function createdBy(agentId: IdRef | undefined, index: PlanIndex): PlannedAction | undefined {
  const named = referencedAction(agentId);
  const position = typeof named === 'string' ? index.positions.get(named) : undefined;
  return position === undefined ? undefined : index.actions[position];
}

function compactSource(source: SourceLocation, index: PlanIndex): Record<string, unknown> {
  return { ...source, file: index.fileNumbers.get(source.file) ?? source.file };
}

function sameSource(left: SourceLocation, right: SourceLocation): boolean {
  return (
    left.file === right.file &&
    left.row === right.row &&
    left.sheet === right.sheet &&
    left.column === right.column
  );
}
