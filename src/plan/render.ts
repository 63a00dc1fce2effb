import { formatRow } from '../model/source.js';
import type { FieldValues, MemberRef, PlannedAction } from './action.js';
import { countDrift } from './drift.js';
import { describeGuard } from './guard.js';
import { describeSelectors, type PlanScope } from './run-scope.js';
import type { Notice, NoticeKind, Plan } from './types.js';

/** How many member e-mails a membership line names before it only counts. */
const MEMBERS_NAMED = 3;

const FIELD_LABELS: Record<string, string> = {
  mainContact: 'main contact',
  licenseQuantity: 'licenses',
  licenseCode: 'license code',
  textLimit: 'text limit',
};

/** One line of the text plan; channel and membership lines of a department are merged into one. */
interface Line {
  text: string;
  source?: string;
  /** Lines with the same key become one: `~ department Vendas: + 3 agents (…), - 1 agent (…)`. */
  /** `removal`: the part only takes away (channels or members), so a line of such parts alone is a `-` line. */
  merge?: { key: string; detail: string; removal: boolean };
}

/** Where a rendered plan goes, piece by piece: a 100,000-action plan is never one string in memory. */
export interface TextSink {
  write(text: string): void;
}

interface Group {
  /** The group's actions, as positions in `plan.actions`. */
  actions: number[];
  notices: Notice[];
}

/**
 * The plan as people read it (CONTRACT §5): grouped by account, `+` create,
 * `~` update with `old → new`, `-` deactivate or remove, each line ending with
 * the manifest row it comes from; then notices, and a summary line. A scoped plan's first
 * line names its scope.
 */
export function renderPlanText(plan: Plan): string {
  const pieces: string[] = [];
  writePlanText({ write: (text) => pieces.push(text) }, plan);
  return pieces.join('');
}

/** `renderPlanText` line by line into `out`; a group's lines are made as it is written. */
export function writePlanText(out: TextSink, plan: Plan): void {
  const groups = new Map<string, Group>();
  const groupOf = (account: string) => {
    let group = groups.get(account);
    if (group === undefined) {
      group = { actions: [], notices: [] };
      groups.set(account, group);
    }
    return group;
  };
  plan.actions.forEach((action, position) => {
    groupOf(action.account).actions.push(position);
  });
  const general: Notice[] = [];
  for (const notice of plan.notices) {
    if (notice.account === undefined) general.push(notice);
    else groupOf(notice.account).notices.push(notice);
  }
  if (plan.scope) out.write(`${scopeLine(plan.scope)}\n`);
  for (const notice of general) out.write(`${noticeLine(notice)}\n`);
  for (const [account, group] of groups) {
    out.write(`account ${account}\n`);
    writeGroupLines(out, plan, group.actions);
    for (const notice of group.notices) out.write(`  ${noticeLine(notice)}\n`);
  }
  if (plan.guard.exceeded) out.write(`Safety guard: ${describeGuard(plan.guard)}.\n`);
  out.write(`${plan.actions.length > 0 ? summaryLine(plan) : noChangesLine(plan)}\n`);
}

/** `Scope: acme, #42 (--account acme --account-id 42); other accounts are not read or planned.` */
export function scopeLine(scope: PlanScope): string {
  const count = scope.selected.length;
  const accounts = `${count === 1 ? 'account' : `${count} accounts`} ${scope.selected.join(', ')}`;
  return `Scope: ${accounts} (${describeSelectors(scope)}); other accounts are not read or planned.`;
}

/**
 * One account's lines. Channel and membership batches of a department share the line of the
 * first of them, so those (a few per department) are gathered first; every other line is made
 * and written as it comes.
 */
function writeGroupLines(out: TextSink, plan: Plan, positions: readonly number[]): void {
  const merged = new Map<string, { first: number; line: Line }>();
  for (const position of positions) {
    const line = mergedLineFor(plan.actions[position]!);
    if (line?.merge === undefined) continue;
    const earlier = merged.get(line.merge.key);
    if (earlier === undefined) merged.set(line.merge.key, { first: position, line });
    else {
      // A line of removals only is a `-` line (CONTRACT §5); one that also adds is an update.
      if (!line.merge.removal) earlier.line.text = earlier.line.text.replace(/^- /, '~ ');
      earlier.line.text += `, ${line.merge.detail}`;
    }
  }
  for (const position of positions) {
    const action = plan.actions[position]!;
    let line: Line | undefined = lineFor(action);
    if (line.merge !== undefined) {
      const batch = merged.get(line.merge.key)!;
      line = batch.first === position ? batch.line : undefined;
    }
    if (line !== undefined) out.write(`${withSource(`  ${line.text}`, line.source)}\n`);
  }
}

/** The line of a channel or membership batch; undefined for every other kind. */
function mergedLineFor(action: PlannedAction): Line | undefined {
  return action.kind.startsWith('department.add_') || action.kind.startsWith('department.remove_')
    ? lineFor(action)
    : undefined;
}

function withSource(text: string, source: string | undefined): string {
  return source === undefined ? text : `${text}   ${source}`;
}

function noticeLine(notice: Notice): string {
  return withSource(`! ${notice.message}`, notice.source && formatRow(notice.source));
}

/** Marks a line (or a merged line's part) whose change only puts back what apply had made (CONTRACT §14). */
export const DRIFT_MARK = '(changed in Omnize)';

function lineFor(action: PlannedAction): Line {
  const entity = `${action.kind.slice(0, action.kind.indexOf('.'))} ${action.target}`;
  const merge = batchDetail(action, entity);
  if (merge !== undefined && action.cause === 'drift') merge.detail += ` ${DRIFT_MARK}`;
  const drift = action.cause === 'drift' ? ` ${DRIFT_MARK}` : '';
  const text =
    merge === undefined
      ? `${textFor(action, entity)}${drift}`
      : `${merge.removal ? '-' : '~'} ${entity}: ${merge.detail}`;
  return {
    text,
    ...(action.source === undefined ? {} : { source: formatRow(action.source) }),
    ...(merge === undefined ? {} : { merge }),
  };
}

/** Channel and membership batches of a department, which share one line. */
function batchDetail(action: PlannedAction, entity: string): Line['merge'] {
  switch (action.kind) {
    case 'department.add_channels':
    case 'department.remove_channels': {
      const removal = action.kind === 'department.remove_channels';
      const detail = `channels ${removal ? '-' : '+'} ${action.params.channels.join(', ')}`;
      return { key: `channels ${entity}`, detail, removal };
    }
    case 'department.add_agents':
    case 'department.remove_agents': {
      const removal = action.kind === 'department.remove_agents';
      return {
        key: `members ${entity}`,
        detail: `${removal ? '-' : '+'} ${membersText(action.params.agents)}`,
        removal,
      };
    }
    default:
      return undefined;
  }
}

function textFor(action: PlannedAction, entity: string): string {
  const why = action.reason.replaceAll('-', ' ');
  switch (action.kind) {
    case 'account.create': {
      const licenses = action.params.licenseQuantity;
      return `+ ${entity} (${action.params.email}, ${licenses} ${licenses === 1 ? 'license' : 'licenses'})`;
    }
    case 'department.create': {
      const { active, channels } = action.params;
      const channelText = channels.length === 0 ? 'no channels' : `channels ${channels.join(', ')}`;
      return `+ ${entity} (${active ? 'active' : 'inactive'}, ${channelText})`;
    }
    case 'agent.create': {
      const limit = action.params.textLimit === undefined ? '' : `, text limit ${action.params.textLimit}`;
      return `+ ${entity} (profile ${action.params.profile}${limit})`;
    }
    case 'account.activate':
    case 'department.activate':
      return `~ ${entity}: activate (${why})`;
    case 'account.deactivate':
    case 'department.deactivate':
      return `- ${entity} (${why})`;
    case 'account.delete':
      return `- ${entity}: delete (${why})${action.requires ? ', needs --allow-delete' : ''}`;
    default: {
      const adopted = action.reason === 'adopted' ? ' (adopted)' : '';
      return `~ ${entity}${adopted}: ${changesText(action.before, action.after)}`;
    }
  }
}

function membersText(members: readonly MemberRef[]): string {
  const count = `${members.length} ${members.length === 1 ? 'agent' : 'agents'}`;
  const named = members.slice(0, MEMBERS_NAMED).map((member) => member.label);
  const more = members.length > MEMBERS_NAMED ? ', …' : '';
  return `${count} (${named.join(', ')}${more})`;
}

function changesText(before: FieldValues, after: FieldValues): string {
  return Object.entries(after)
    .map(([field, value]) => {
      const label = FIELD_LABELS[field] ?? field;
      if (field === 'password') return `${label}: changed`;
      return field in before
        ? `${label}: ${valueText(before[field] ?? null)} → ${valueText(value)}`
        : `${label}: ${valueText(value)}`;
    })
    .join(', ');
}

function valueText(value: FieldValues[string]): string {
  if (value === null) return '(unknown)';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Notices after which "matches the manifest" would not be true: rows that could not be planned at all. */
const UNPLANNED: ReadonlySet<NoticeKind> = new Set<NoticeKind>([
  'create-outcome-unknown',
  'account-id-conflict',
  'account-deleted-earlier',
  'account-not-read',
  'unknown-account',
  'unknown-department',
]);

function noChangesLine(plan: Plan): string {
  return plan.notices.some((notice) => UNPLANNED.has(notice.kind))
    ? 'No changes planned, but some rows could not be planned: see the notes above.'
    : 'No changes. The live state matches the manifest.';
}

/**
 * `Plan: 12 to create, 3 to update, 1 to deactivate or remove, 0 to delete.` — counting actions,
 * not requests; then, when some are, `2 of them changed in Omnize.` (drift, CONTRACT §14).
 */
function summaryLine(plan: Plan): string {
  let create = 0;
  let update = 0;
  let retire = 0;
  let remove = 0;
  let waiting = 0;
  for (const action of plan.actions) {
    if (action.kind.endsWith('.create')) create += 1;
    else if (action.kind === 'account.delete') {
      if (action.requires === undefined) remove += 1;
      else waiting += 1;
    } else if (action.kind.endsWith('deactivate') || action.kind.includes('.remove_')) retire += 1;
    else update += 1;
  }
  const pending = waiting === 0 ? '' : ` ${waiting} more to delete with --allow-delete.`;
  const drift = countDrift(plan);
  const changed = drift === 0 ? '' : ` ${drift} of them changed in Omnize.`;
  return `Plan: ${create} to create, ${update} to update, ${retire} to deactivate or remove, ${remove} to delete.${pending}${changed}`;
}

/** Keys first in this order, the rest alphabetically: the JSON reads top-down like the text. */
const KEY_ORDER = [
  'formatVersion',
  'createdAt',
  'rememberedSerial',
  'scope',
  'guard',
  'counts',
  'actions',
  'notices',
  'passwordsToRecord',
  'id',
  'kind',
  'account',
  'target',
  'reason',
  'cause',
  'requires',
  'dependsOn',
  'before',
  'after',
  'source',
  'params',
];
const KEY_RANK = new Map(KEY_ORDER.map((key, index) => [key, index]));

/** The plan as JSON (`plan --json`, `--out`), with a key order that does not depend on how it was built. */
export function renderPlanJson(plan: Plan): string {
  const pieces: string[] = [];
  writePlanJson({ write: (text) => pieces.push(text) }, plan);
  return pieces.join('');
}

/**
 * `renderPlanJson` into `out`, an action at a time: the same bytes as
 * `JSON.stringify(plan, orderPlanKeys, 2)` and a newline, without the whole text at once.
 */
export function writePlanJson(out: TextSink, plan: Plan): void {
  const ordered = orderPlanKeys('', plan) as Record<string, unknown>;
  const members = Object.entries(ordered).filter(([, value]) => value !== undefined);
  out.write('{');
  members.forEach(([key, value], index) => {
    out.write(`${index === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    if (key === 'actions' && Array.isArray(value) && value.length > 0) {
      out.write('[');
      value.forEach((action, position) => {
        out.write(`${position === 0 ? '' : ','}\n    ${indented(action, '    ')}`);
      });
      out.write('\n  ]');
    } else {
      out.write(indented(value, '  '));
    }
  });
  out.write(members.length === 0 ? '}\n' : '\n}\n');
}

/** A value as JSON.stringify writes it `depth` levels in (JSON text never holds a raw newline). */
function indented(value: unknown, indent: string): string {
  return stringifyInPlanOrder(value, 2).replaceAll('\n', `\n${indent}`);
}

/**
 * `JSON.stringify(value, orderPlanKeys, space)`, the same text. A replacer makes V8 call back into
 * JavaScript for every value, strings and numbers too (~20 calls an action), so the value is first
 * checked, object by object, for keys already in plan order (as the planner builds them); only a
 * value with one out of order goes through the replacer.
 */
export function stringifyInPlanOrder(value: unknown, space?: number): string {
  return inPlanOrder(value)
    ? JSON.stringify(value, null, space)
    : JSON.stringify(value, orderPlanKeys, space);
}

function inPlanOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(inPlanOrder);
  // What a toJSON gives (a Date's text) is the replacer's to order.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const order = keyOrderOf(keys);
  for (let position = 0; position < keys.length; position += 1) {
    if (order[position] !== keys[position] || !inPlanOrder(record[keys[position]!])) return false;
  }
  return true;
}

/** The JSON.stringify replacer of renderPlanJson, for writers that stream a plan piece by piece. */
export function orderPlanKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const order = keyOrderOf(keys);
  // Most objects are built in this order already: they are written as they are, not copied.
  if (order.every((key, index) => key === keys[index])) return value;
  const ordered: Record<string, unknown> = {};
  for (const key of order) ordered[key] = record[key];
  return ordered;
}

/**
 * The order of each set of keys met, sorted once: a 100,000-action plan holds a handful of
 * shapes, and sorting every object's keys anew was most of the time its reports took.
 * Bounded, as keys may come from the data (a shape past the bound is sorted each time).
 */
const KEY_ORDERS = new Map<string, readonly string[]>();
const MOST_KEY_ORDERS_KEPT = 512;

function keyOrderOf(keys: readonly string[]): readonly string[] {
  const shape = keys.join('\u0000');
  const known = KEY_ORDERS.get(shape);
  if (known !== undefined) return known;
  const order = [...keys].sort((left, right) => {
    const rank = (KEY_RANK.get(left) ?? KEY_ORDER.length) - (KEY_RANK.get(right) ?? KEY_ORDER.length);
    return rank !== 0 ? rank : left < right ? -1 : left > right ? 1 : 0;
  });
  if (KEY_ORDERS.size < MOST_KEY_ORDERS_KEPT) KEY_ORDERS.set(shape, order);
  return order;
}
