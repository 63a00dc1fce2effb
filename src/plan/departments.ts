import type { DesiredDepartment } from '../model/desired.js';
import type { ObservedDepartment } from '../model/observed.js';
import { nameKey } from '../model/vocabulary.js';
import type { IdRef } from './action.js';
import { type AccountContext, accountDependency } from './context.js';
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
 * and the other is treated as undeclared. With `--prune`, undeclared active
 * departments are deactivated.
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
  for (const desired of context.scope.departments) {
    const key = nameKey(desired.name);
    // Validation rejects a name declared twice in one account; should one slip through, the first row wins.
    if (index.byName.has(key)) continue;
    const observed = remoteByName.get(key);
    if (observed === undefined) {
      const createId = createDepartment(context, desired, key);
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

function createDepartment(context: AccountContext, desired: DesiredDepartment, key: string): string {
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
  const dependsOn: string[] = [];
  if (fields.count > 0) {
    const params = { ...body, active: observed.active };
    const update = {
      ...common,
      kind: 'department.update' as const,
      ...fields,
      reason: 'field-changed' as const,
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
        dependsOn,
        params: { ...body, active },
      },
      key,
    );
  }
  if (desired.channels !== undefined) planChannels(context, common, observed, desired.channels, key);
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
  if (toAdd.length > 0) {
    const after = { channels: [...observed.channels, ...toAdd] };
    const params = { departmentId: observed.id, channels: toAdd };
    context.builder.add({ ...shared, kind: 'department.add_channels', before, after, params }, key);
  }
  if (toRemove.length > 0) {
    const after = { channels: observed.channels.filter((channel) => !toRemove.includes(channel)) };
    const params = { departmentId: observed.id, channels: toRemove };
    context.builder.add({ ...shared, kind: 'department.remove_channels', before, after, params }, key);
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
