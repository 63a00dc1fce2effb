import { nameKey, type OmnizeId } from '../model/vocabulary.js';
import type { ActionOf } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import type { Executors } from './executors.js';
import type { Settled } from './outcome.js';

type DepartmentKind =
  | 'department.create'
  | 'department.update'
  | 'department.activate'
  | 'department.deactivate'
  | 'department.add_channels'
  | 'department.remove_channels';

/**
 * The department actions other than membership batches. Each records what it sent, with the
 * write's settlement, so a later plan tells a change made in Omnize from one of the manifest
 * (CONTRACT §14); the plan reads departments back from the API, not from these records.
 */
export const departmentExecutors: Pick<Executors, DepartmentKind> = {
  'department.create': createDepartment,
  'department.update': writeDepartment,
  'department.activate': writeDepartment,
  'department.deactivate': writeDepartment,
  'department.add_channels': async (run) => {
    const id = run.resolve(run.action.params.departmentId);
    await run.write(() => run.context.client.addChannelsToDepartment(id, run.action.params.channels));
    await recordChannels(run, id, run.action.params.channels, true);
    return { status: 'ok' };
  },
  'department.remove_channels': async (run) => {
    const id = run.resolve(run.action.params.departmentId);
    await run.write(() => run.context.client.removeChannelsFromDepartment(id, run.action.params.channels));
    await recordChannels(run, id, run.action.params.channels, false);
    return { status: 'ok' };
  },
};

async function recordChannels(
  run: ActionRun,
  departmentId: OmnizeId,
  channels: readonly string[],
  present: boolean,
) {
  const accountId = await run.accountId();
  if (accountId === undefined) return;
  run.recordLater({
    kind: 'memberships',
    change: { accountId, departmentId, kind: 'channel', members: channels, present },
  });
}

/** `PUT /departments/:id` with name, description and status: update, activate and deactivate alike. */
async function writeDepartment(
  run: ActionRun<ActionOf<'department.update' | 'department.activate' | 'department.deactivate'>>,
): Promise<Settled> {
  const { departmentId, ...changes } = run.action.params;
  const id = run.resolve(departmentId);
  await run.write(() => run.context.client.updateDepartment(id, changes));
  const accountId = await run.accountId();
  if (accountId !== undefined) {
    run.recordLater({ kind: 'department-applied', accountId, departmentId: id, values: changes });
  }
  return { status: 'ok' };
}

/** `POST /departments` with its channels; an unknown outcome is looked up by name (trimmed, case-insensitive). */
async function createDepartment(run: ActionRun<ActionOf<'department.create'>>): Promise<Settled> {
  const { client } = run.context;
  const { accountId: ref, ...fields } = run.action.params;
  const accountId = run.resolve(ref);
  const wanted = nameKey(fields.name);
  const created = await run.write(() => client.createDepartment({ accountId, ...fields }), {
    lookUp: async () =>
      (await client.listDepartments(accountId)).find((department) => nameKey(department.name) === wanted),
  });
  const { name, description, active, channels } = fields;
  run.recordLater({
    kind: 'department-applied',
    accountId,
    departmentId: created.id,
    values: { name, description, active },
  });
  run.recordLater({
    kind: 'memberships',
    change: { accountId, departmentId: created.id, kind: 'channel', members: channels, present: true },
  });
  return { status: 'ok', remoteId: created.id, ...(run.foundByLookup ? { foundByLookup: true } : {}) };
}
