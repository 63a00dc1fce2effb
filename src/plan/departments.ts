import type { DesiredDepartment } from '../model/desired.js';
import type { ObservedDepartment } from '../model/observed.js';
import { CHANNELS, nameKey, type OmnizeId } from '../model/vocabulary.js';
import type { Cause, IdRef } from './action.js';
import { actionCause, fieldCause } from './cause.js';
import type { ConfirmedDepartment } from './confirm.js';
import { type AccountContext, accountDependency, membershipKey } from './context.js';
import { changedFields, missingFrom } from './fields.js';

/** One department of an account as memberships see it: declared, remote, or both. */
export interface DepartmentSlot {
  nameKey: string;
  name: string;
  departmentId: IdRef;
  /** The department's create action in this plan, when it is new. */
  createId?: string;
  observed?: ObservedDepartment;
  desired?: DesiredDepartment;
}

/** An account's departments: every one (declared first, then remote-only), and the first of each name. */
export interface DepartmentIndex {
  slots: DepartmentSlot[];
  byName: Map<string, DepartmentSlot>;
}

/**
 * Plans one account's departments. Declared departments are matched to remote
 * ones by name, case-insensitively; a name the API shows twice matches the first,
 * and the other is treated as undeclared. A declared name the API does not show
 * matches the department apply last gave that name, when the API still shows it
 * under a name the manifest does not declare: it was renamed in Omnize (CONTRACT
 * §14), and is renamed back rather than created again. With `--prune`, undeclared
 * active departments are deactivated.
 */
export function planDepartments(context: AccountContext): DepartmentIndex {
  const remoteByName = new Map<string, ObservedDepartment>();
  for (const department of context.contents.departments) {
    const key = nameKey(department.name);
    if (!remoteByName.has(key)) remoteByName.set(key, department);
  }
  const index: DepartmentIndex = { slots: [], byName: new Map() };
  const matched = new Set<ObservedDepartment>();
  const addSlot = (slot: DepartmentSlot) => {
    index.slots.push(slot);
    if (!index.byName.has(slot.nameKey)) index.byName.set(slot.nameKey, slot);
  };
  const renamed = renamedInOmnize(context, remoteByName);
  for (const desired of context.scope.departments) {
    const key = nameKey(desired.name);
    // Validation rejects a name declared twice in one account; should one slip through, the first row wins.
    if (index.byName.has(key)) continue;
    let observed = remoteByName.get(key);
    if (observed === undefined) {
      const candidate = renamed.get(key);
      if (candidate !== undefined && !matched.has(candidate)) observed = candidate;
    }
    if (observed === undefined) {
      const createId = createDepartment(context, desired, key, renamed.deleted.has(key));
      addSlot({
        nameKey: key,
        name: desired.name,
        departmentId: { fromAction: createId },
        createId,
        desired,
      });
      continue;
    }
    matched.add(observed);
    updateDepartment(context, desired, observed, key);
    addSlot({ nameKey: key, name: desired.name, departmentId: observed.id, observed, desired });
  }
  for (const observed of context.contents.departments) {
    if (matched.has(observed)) continue;
    const key = nameKey(observed.name);
    addSlot({ nameKey: key, name: observed.name, departmentId: observed.id, observed });
    if (context.prune.departments && observed.active) pruneDepartment(context, observed, key);
  }
  context.builder.inScope += index.slots.length;
  return index;
}

/**
 * Remote departments apply last gave a declared name that the API no longer shows, by that name:
 * renamed in Omnize to a name the manifest does not declare. `deleted`: declared names whose
 * recorded department the API does not show at all.
 */
function renamedInOmnize(
  context: AccountContext,
  remoteByName: Map<string, ObservedDepartment>,
): Map<string, ObservedDepartment> & { deleted: Set<string> } {
  const renamed = Object.assign(new Map<string, ObservedDepartment>(), { deleted: new Set<string>() });
  const recorded = context.recorded.departments;
  if (recorded.size === 0) return renamed;
  const declared = new Set(context.scope.departments.map((department) => nameKey(department.name)));
  const remoteById = new Map<OmnizeId, ObservedDepartment>();
  for (const department of context.contents.departments) remoteById.set(department.id, department);
  for (const department of recorded.values()) {
    if (department.name === undefined) continue;
    const key = nameKey(department.name);
    if (!declared.has(key) || remoteByName.has(key)) continue;
    const observed = remoteById.get(department.departmentId);
    if (observed === undefined) renamed.deleted.add(key);
    else if (!declared.has(nameKey(observed.name))) renamed.set(key, observed);
  }
  return renamed;
}

function createDepartment(
  context: AccountContext,
  desired: DesiredDepartment,
  key: string,
  deletedInOmnize: boolean,
): string {
  const params = {
    accountId: context.accountId,
    name: desired.name,
    description: desired.description ?? '',
    active: desired.status !== 'inactive',
    channels: missingFrom(desired.channels ?? [], []),
  };
  const { accountId: _accountId, ...after } = params;
  return context.builder.add(
    {
      kind: 'department.create',
      account: context.scope.label,
      target: desired.name,
      before: {},
      after,
      reason: 'missing-remote',
      cause: deletedInOmnize ? 'drift' : 'new',
      dependsOn: accountDependency(context),
      source: desired.source,
      params,
    },
    key,
  );
}

/** A declared department that exists: name case, managed description, managed status, managed channels. */
function updateDepartment(
  context: AccountContext,
  desired: DesiredDepartment,
  observed: ObservedDepartment,
  key: string,
): void {
  const { builder } = context;
  const common = { account: context.scope.label, target: desired.name, source: desired.source };
  const description = desired.description ?? observed.description;
  const current = { name: observed.name, description: observed.description };
  const fields = changedFields(current, { name: desired.name, description });
  const body = { departmentId: observed.id, name: desired.name, description };
  const recorded = context.recorded.departments.get(observed.id);
  const dependsOn: string[] = [];
  if (fields.count > 0) {
    const params = { ...body, active: observed.active };
    const causes: Cause[] = [];
    if ('name' in fields.after) causes.push(fieldCause(desired.name, recorded?.name));
    if ('description' in fields.after) causes.push(fieldCause(description, recorded?.description));
    const update = {
      ...common,
      kind: 'department.update' as const,
      ...fields,
      reason: 'field-changed' as const,
      cause: actionCause(causes),
    };
    dependsOn.push(builder.add({ ...update, dependsOn: [], params }, key));
  }
  const active = desired.status === undefined ? observed.active : desired.status === 'active';
  if (active !== observed.active) {
    // Both requests are PUTs of the whole department; the status one goes second and carries the new name.
    builder.add(
      {
        ...common,
        kind: active ? 'department.activate' : 'department.deactivate',
        before: { active: observed.active },
        after: { active },
        reason: active ? 'marked-active' : 'marked-inactive',
        cause: fieldCause(active, recorded?.active),
        dependsOn,
        params: { ...body, active },
      },
      key,
    );
  }
  if (desired.channels !== undefined) planChannels(context, common, observed, desired.channels, key);
  if (context.builder.confirmed !== undefined) confirmDepartment(context, desired, observed, active);
}

/**
 * The department's managed name, description, status and channels that already match live and
 * are not recorded so (CONTRACT §14). A channel the manifest leaves out is confirmed absent only
 * when it is absent live and recorded present: an absence never recorded is not apply's to keep.
 */
function confirmDepartment(
  context: AccountContext,
  desired: DesiredDepartment,
  observed: ObservedDepartment,
  active: boolean,
): void {
  if (typeof context.accountId !== 'number') return;
  const { accountId } = context;
  const confirmed = context.builder.confirmed!;
  const recorded = context.recorded.departments.get(observed.id);
  const values: ConfirmedDepartment = { accountId, departmentId: observed.id };
  if (desired.name === observed.name && desired.name !== recorded?.name) values.name = desired.name;
  const { description } = desired;
  if (
    description !== undefined &&
    description === observed.description &&
    description !== recorded?.description
  ) {
    values.description = description;
  }
  if (desired.status !== undefined && active === observed.active && active !== recorded?.active) {
    values.active = active;
  }
  if (values.name !== undefined || values.description !== undefined || values.active !== undefined) {
    confirmed.departments.push(values);
  }
  const wanted = desired.channels;
  if (wanted === undefined) return;
  const recordedAs = (channel: string) =>
    context.recorded.memberships.get(membershipKey(observed.id, 'channel', channel));
  const present = wanted.filter(
    (channel, index) =>
      wanted.indexOf(channel) === index &&
      observed.channels.includes(channel) &&
      recordedAs(channel) !== true,
  );
  const absent = CHANNELS.filter(
    (channel) =>
      !wanted.includes(channel) && !observed.channels.includes(channel) && recordedAs(channel) === true,
  );
  const batch = { accountId, departmentId: observed.id, kind: 'channel' as const };
  if (present.length > 0) confirmed.memberships.push({ ...batch, members: present, present: true });
  if (absent.length > 0) confirmed.memberships.push({ ...batch, members: absent, present: false });
}

function planChannels(
  context: AccountContext,
  common: { account: string; target: string; source: DesiredDepartment['source'] },
  observed: ObservedDepartment,
  wanted: NonNullable<DesiredDepartment['channels']>,
  key: string,
): void {
  const toAdd = missingFrom(wanted, observed.channels);
  const toRemove = missingFrom(observed.channels, wanted);
  const shared = { ...common, reason: 'field-changed' as const, dependsOn: [] };
  const before = { channels: [...observed.channels] };
  // Each channel is a field of its own: present or not, as apply last made it.
  const causeOf = (channels: readonly string[], present: boolean) =>
    actionCause(
      channels.map((channel) =>
        fieldCause(present, context.recorded.memberships.get(membershipKey(observed.id, 'channel', channel))),
      ),
    );
  if (toAdd.length > 0) {
    const after = { channels: [...observed.channels, ...toAdd] };
    const params = { departmentId: observed.id, channels: toAdd };
    const cause = causeOf(toAdd, true);
    context.builder.add({ ...shared, kind: 'department.add_channels', before, after, cause, params }, key);
  }
  if (toRemove.length > 0) {
    const after = { channels: observed.channels.filter((channel) => !toRemove.includes(channel)) };
    const params = { departmentId: observed.id, channels: toRemove };
    const cause = causeOf(toRemove, false);
    context.builder.add({ ...shared, kind: 'department.remove_channels', before, after, cause, params }, key);
  }
}

function pruneDepartment(context: AccountContext, observed: ObservedDepartment, key: string): void {
  context.builder.add(
    {
      kind: 'department.deactivate',
      account: context.scope.label,
      target: observed.name,
      before: { active: true },
      after: { active: false },
      reason: 'absent-from-manifest',
      cause: 'manifest',
      dependsOn: [],
      params: {
        departmentId: observed.id,
        name: observed.name,
        description: observed.description,
        active: false,
      },
    },
    key,
  );
}
