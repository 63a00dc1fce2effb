import { nameKey } from '../model/vocabulary.js';
import type { ActionOf } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import type { Settled } from './outcome.js';

type DepartmentKind =
  | 'department.create'
  | 'department.update'
  | 'department.activate'
  | 'department.deactivate'
  | 'department.add_channels'
  | 'department.remove_channels';

/** Runs one department action other than a membership batch; nothing is recorded, departments can be read back. */
export async function runDepartmentAction(
  run: ActionRun,
  action: ActionOf<DepartmentKind>,
): Promise<Settled> {
  const { client } = run.context;
  switch (action.kind) {
    case 'department.create':
      return createDepartment(run, action);
    case 'department.update':
    case 'department.activate':
    case 'department.deactivate': {
      const { departmentId, ...changes } = action.params;
      const id = run.resolve(departmentId);
      await run.write(() => client.updateDepartment(id, changes));
      return { status: 'ok' };
    }
    case 'department.add_channels': {
      const id = run.resolve(action.params.departmentId);
      await run.write(() => client.addChannelsToDepartment(id, action.params.channels));
      return { status: 'ok' };
    }
    case 'department.remove_channels': {
      const id = run.resolve(action.params.departmentId);
      await run.write(() => client.removeChannelsFromDepartment(id, action.params.channels));
      return { status: 'ok' };
    }
  }
}

/** `POST /departments` with its channels; an unknown outcome is looked up by name (trimmed, case-insensitive). */
async function createDepartment(run: ActionRun, action: ActionOf<'department.create'>): Promise<Settled> {
  const { client } = run.context;
  const { accountId: ref, ...fields } = action.params;
  const accountId = run.resolve(ref);
  const wanted = nameKey(fields.name);
  const created = await run.write(() => client.createDepartment({ accountId, ...fields }), {
    lookUp: async () =>
      (await client.listDepartments(accountId)).find((department) => nameKey(department.name) === wanted),
  });
  return { status: 'ok', remoteId: created.id, ...(run.foundByLookup ? { foundByLookup: true } : {}) };
}
