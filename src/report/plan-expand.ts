import type { FieldValues, Plan, PlannedAction } from '../plan/index.js';
import {
  COMPACT_PLAN_FORMAT_VERSION,
  membersOf,
  paramsReferences,
  referencedAction,
  shownParam,
  usualActionId,
} from './plan-format.js';

/** A plan document that is not one this version wrote. */
export class PlanFormatError extends Error {}

type Encoded = Record<string, unknown>;

/** What reading one action of format 2 looks up: the files, and every action's ID and form as written. */
interface Reading {
  files: readonly string[];
  ids: readonly string[];
  encoded: readonly Encoded[];
}

/**
 * The plan of a plan document: format 1 as it is, format 2 (plan-format.ts) with what it left
 * out restored. Restores in place, so a 100,000-action plan is not held twice: the document must
 * be the caller's own, just parsed. Throws PlanFormatError for a document of another format or
 * a broken one.
 */
export function planFromDocument(document: unknown): Plan {
  const plan = record(document, 'the plan');
  if (plan.formatVersion === 1) return plan as unknown as Plan;
  if (plan.formatVersion !== COMPACT_PLAN_FORMAT_VERSION) {
    throw new PlanFormatError(`plan format ${String(plan.formatVersion)}`);
  }
  const { files, actions } = plan;
  if (!Array.isArray(files) || !files.every((file) => typeof file === 'string')) {
    throw new PlanFormatError('its files are not a list of names');
  }
  if (!Array.isArray(actions)) throw new PlanFormatError('its actions are not a list');
  const encoded = actions.map((action, position) => record(action, `action ${position}`));
  const ids = encoded.map((action, position) => idOf(action, position));
  const reading: Reading = { files, ids, encoded };
  encoded.forEach((action, position) => {
    expandAction(action, position, reading);
  });
  delete plan.files;
  plan.formatVersion = 1;
  return plan as unknown as Plan;
}

/** The action's ID as written, or the usual one it was left out as. */
function idOf(action: Encoded, position: number): string {
  if (typeof action.id === 'string') return action.id;
  const { kind, account, target } = action;
  if (typeof kind !== 'string' || typeof account !== 'string' || typeof target !== 'string') {
    throw new PlanFormatError(
      `action ${position} has no ID, and no kind, account and target to make it from`,
    );
  }
  return usualActionId({ kind, account, target } as Pick<PlannedAction, 'kind' | 'account' | 'target'>);
}

function expandAction(action: Encoded, position: number, reading: Reading): void {
  const params = record(action.params, `the params of action ${position}`);
  expandParams(params, action, reading);
  action.id = reading.ids[position];
  action.dependsOn = Array.isArray(action.dependsOn)
    ? action.dependsOn.map((named) => actionId(named, reading))
    : paramsReferences(params);
  action.before = expandFields(action.before, params);
  action.after = expandFields(action.after, params);
  if (action.source !== undefined) expandSource(action.source, reading);
}

function expandParams(params: Encoded, batch: Encoded, reading: Reading): void {
  // Members first: a member's agent reference still holds the create's position until then.
  for (const member of membersOf(params) ?? []) expandMember(member as Encoded, batch, reading);
  for (const value of Object.values(params)) expandReference(value, reading);
}

function expandMember(member: Encoded, batch: Encoded, reading: Reading): void {
  const named = referencedAction(member.agentId);
  const created = typeof named === 'number' ? reading.encoded[named] : undefined;
  expandReference(member.agentId, reading);
  if (!('reason' in member)) member.reason = batch.reason;
  // A plan saved before causes has none on the batch either: nothing to restore.
  if (!('cause' in member) && batch.cause !== undefined) member.cause = batch.cause;
  if (!('label' in member) && created !== undefined) member.label = created.target;
  if (member.source === null) delete member.source;
  else if (member.source !== undefined) expandSource(member.source, reading);
  else if (created?.source !== undefined) {
    // A copy: the create's source may still hold its file's number, and is the create's own.
    member.source = { ...record(created.source, 'a source') };
    expandSource(member.source, reading);
  }
}

/** Turns a reference by position back into one by ID; leaves an Omnize ID, or any other value, as it is. */
function expandReference(value: unknown, reading: Reading): void {
  const named = referencedAction(value);
  if (typeof named === 'number') (value as { fromAction: string }).fromAction = actionId(named, reading);
}

function actionId(named: unknown, reading: Reading): string {
  if (typeof named === 'string') return named;
  const id = typeof named === 'number' ? reading.ids[named] : undefined;
  if (id === undefined)
    throw new PlanFormatError(`a reference to action ${String(named)}, which it does not have`);
  return id;
}

function expandFields(values: unknown, params: Encoded): FieldValues {
  if (values === undefined) return {};
  if (!Array.isArray(values)) return record(values, 'before or after') as FieldValues;
  return Object.fromEntries(values.map((field) => [field, shownParam(params, String(field))])) as FieldValues;
}

/** Turns a source's file number back into the file's name, in place; a source with a name stays as it is. */
function expandSource(source: unknown, reading: Reading): void {
  const location = record(source, 'a source');
  if (typeof location.file !== 'number') return;
  const file = reading.files[location.file];
  if (file === undefined)
    throw new PlanFormatError(`a source in file ${location.file}, which it does not list`);
  location.file = file;
}

function record(value: unknown, what: string): Encoded {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PlanFormatError(`${what} is not an object`);
  }
  return value as Encoded;
}
