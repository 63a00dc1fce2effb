import type { Confirmed } from '../plan/index.js';
import type { LaggingRecord, StateBackend } from '../state/index.js';

/**
 * Records per group commit: a roster of 100,000 matching agents is written in groups this size,
 * so neither backend holds one transaction's worth of statements for the whole roster and no
 * second list of records is built beside `Confirmed`.
 */
export const CONFIRMED_GROUP_SIZE = 2_000;

/**
 * Records the managed values that already matched at this apply as if it had made them
 * (CONTRACT §14), through the journal's group commit (records only, no entry). Called once the
 * plan's actions are done, unless the store refused writes. Each group is all or none; a group
 * lost to a failure is only memory the next apply confirms again. Returns how many records were written.
 */
export async function recordConfirmed(
  confirmed: Confirmed | undefined,
  store: Pick<StateBackend, 'journalGroup'>,
  groupSize = CONFIRMED_GROUP_SIZE,
): Promise<number> {
  if (confirmed === undefined) return 0;
  let group: LaggingRecord[] = [];
  let written = 0;
  const flush = async () => {
    if (group.length === 0) return;
    await store.journalGroup({ records: group });
    written += group.length;
    group = [];
  };
  const add = async (record: LaggingRecord) => {
    group.push(record);
    if (group.length >= groupSize) await flush();
  };
  for (const { accountId, email, name, profile } of confirmed.agents) {
    await add({ kind: 'agent-applied', accountId, email, values: { name, profile } });
  }
  for (const { accountId, departmentId, name, description, active } of confirmed.departments) {
    const values = { name, description, active };
    await add({ kind: 'department-applied', accountId, departmentId, values });
  }
  for (const change of confirmed.memberships) await add({ kind: 'memberships', change });
  await flush();
  return written;
}
