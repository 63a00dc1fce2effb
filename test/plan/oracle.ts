import type { AccountRef, DesiredAccount, DesiredAgent, DesiredDepartment } from '../../src/model/desired.js';
import type { ObservedAccountContents } from '../../src/model/observed.js';
import type { AppliedAccountValues } from '../../src/model/remembered.js';
import { emailKey, MANIFEST_KINDS, type ManifestKind, nameKey } from '../../src/model/vocabulary.js';
import { testFingerprint, type World } from './world.js';

/**
 * What the manifest says the world must be after a plan is applied, restated
 * from CONTRACT §4–§5 independently of the planner: returns every way `after`
 * falls short of `before.desired`, as readable lines (empty when it matches).
 */
export function mismatches(
  before: World,
  after: World,
  options: { prune: boolean; allowDelete: boolean },
): string[] {
  const problems: string[] = [];
  const ids = accountIds(before, after, options.allowDelete, problems);
  const rows = new Map<number, { departments: DesiredDepartment[]; agents: DesiredAgent[] }>();
  const rowsOf = (id: number) => {
    let found = rows.get(id);
    if (found === undefined) {
      found = { departments: [], agents: [] };
      rows.set(id, found);
    }
    return found;
  };
  for (const id of ids.managed) rowsOf(id);
  for (const department of before.desired.departments) {
    const id = ids.resolve(department.account);
    if (id !== undefined) rowsOf(id).departments.push(department);
  }
  for (const agent of before.desired.agents) {
    const id = ids.resolve(agent.account);
    if (id !== undefined) rowsOf(id).agents.push(agent);
  }
  const prune = effectivePrune(before, options.prune);
  for (const [id, declared] of rows) {
    const contents = after.observed.accounts.get(id);
    if (contents === undefined) problems.push(`account ${id}: not in the live state`);
    else checkContents(after, id, contents, declared, prune, problems);
  }
  if (prune.accounts) {
    for (const account of before.remembered.accounts) {
      if (account.accountId === null || ids.named.has(account.key) || ids.named.has(account.accountId))
        continue;
      const status = after.remembered.accounts.find((a) => a.key === account.key)?.applied.status;
      if (status !== 'inactive' && status !== 'deleted')
        problems.push(`account ${account.key}: absent but ${status}`);
    }
  }
  return problems;
}

/** The accounts whose contents the manifest manages, and how rows reach them. */
function accountIds(before: World, after: World, allowDelete: boolean, problems: string[]) {
  const earlier = new Map(before.remembered.accounts.map((account) => [account.key, account]));
  const now = new Map(after.remembered.accounts.map((account) => [account.key, account]));
  const idOfKey = new Map<string, number>();
  const blocked = new Set<string | number>();
  const named = new Set<string | number>();
  const managed = new Set<number>();
  for (const account of before.remembered.accounts) {
    if (account.accountId === null) blocked.add(account.key);
    else idOfKey.set(account.key, account.accountId);
  }
  for (const account of before.desired.accounts) {
    named.add(account.key);
    const remembered = earlier.get(account.key);
    const existingId = (remembered ? remembered.accountId : account.accountId) ?? undefined;
    if (existingId !== undefined) named.add(existingId);
    if (remembered?.accountId === null) continue;
    const recorded = now.get(account.key);
    if (account.status === 'deleted') {
      blocked.add(account.key);
      if (existingId !== undefined) blocked.add(existingId);
      if (existingId === undefined && recorded)
        problems.push(`account ${account.key}: created though marked deleted`);
      if (existingId !== undefined && allowDelete && recorded?.applied.status !== 'deleted') {
        problems.push(`account ${account.key}: not deleted`);
      }
      continue;
    }
    if (recorded?.accountId == null) {
      problems.push(`account ${account.key}: not recorded`);
      continue;
    }
    idOfKey.set(account.key, recorded.accountId);
    managed.add(recorded.accountId);
    // A new account without a status column is created active.
    const wanted = {
      ...account,
      status: account.status ?? (existingId === undefined ? 'active' : undefined),
    };
    checkAccountFields(wanted, recorded.applied, problems);
  }
  const resolve = (ref: AccountRef): number | undefined => {
    const id = 'key' in ref ? idOfKey.get(ref.key) : ref.accountId;
    if (('key' in ref && blocked.has(ref.key)) || id === undefined || blocked.has(id)) return undefined;
    named.add('key' in ref ? ref.key : ref.accountId);
    if ('key' in ref) named.add(id);
    return id;
  };
  return { resolve, managed, named };
}

function checkAccountFields(wanted: DesiredAccount, applied: AppliedAccountValues, problems: string[]): void {
  const fields = [
    'email',
    'mainContact',
    'phone',
    'url',
    'licenseQuantity',
    'licenseCode',
    'status',
  ] as const;
  for (const field of fields) {
    if (wanted[field] !== undefined && applied[field] !== wanted[field]) {
      problems.push(`account ${wanted.key}: ${field} ${applied[field]} ≠ ${wanted[field]}`);
    }
  }
}

function checkContents(
  after: World,
  accountId: number,
  contents: ObservedAccountContents,
  declared: { departments: DesiredDepartment[]; agents: DesiredAgent[] },
  prune: Record<ManifestKind, boolean>,
  problems: string[],
): void {
  const where = `account ${accountId}`;
  const firstDepartment = (name: string) =>
    contents.departments.find((d) => nameKey(d.name) === nameKey(name));
  const firstAgent = (email: string) => contents.agents.find((a) => emailKey(a.email) === emailKey(email));
  for (const department of declared.departments) {
    const found = firstDepartment(department.name);
    if (found === undefined) {
      problems.push(`${where}: department ${department.name} missing`);
      continue;
    }
    if (found.name !== department.name) problems.push(`${where}: department ${found.name} not renamed`);
    if (department.description !== undefined && found.description !== department.description) {
      problems.push(`${where}: department ${found.name} description ${found.description}`);
    }
    if (department.status !== undefined && found.active !== (department.status === 'active')) {
      problems.push(`${where}: department ${found.name} active ${found.active}`);
    }
    const channels = department.channels;
    if (
      channels !== undefined &&
      [...found.channels].sort().join() !== [...new Set(channels)].sort().join()
    ) {
      problems.push(`${where}: department ${found.name} channels ${found.channels}`);
    }
  }
  const declaredAgents = new Set(declared.agents.map((agent) => emailKey(agent.email)));
  for (const agent of declared.agents) {
    const found = firstAgent(agent.email);
    if (found === undefined) {
      problems.push(`${where}: agent ${agent.email} missing`);
      continue;
    }
    if (found.name !== agent.name) problems.push(`${where}: agent ${agent.email} name ${found.name}`);
    if (agent.profile !== undefined && found.profile !== agent.profile)
      problems.push(`${where}: ${agent.email} profile`);
    const remembered = after.remembered.agents.find(
      (r) => r.accountId === accountId && r.email === emailKey(agent.email),
    );
    if (agent.textLimit !== undefined && remembered?.textLimit !== agent.textLimit) {
      problems.push(`${where}: agent ${agent.email} text limit ${remembered?.textLimit}`);
    }
    if (agent.password !== undefined && remembered?.passwordFingerprint !== testFingerprint(agent.password)) {
      problems.push(`${where}: agent ${agent.email} password not applied`);
    }
    if (agent.departments === undefined) continue;
    const names = new Set(agent.departments.map(nameKey));
    for (const department of contents.departments) {
      const member = department.agentIds.includes(found.id);
      const named = names.has(nameKey(department.name));
      if (named && department === firstDepartment(department.name) && !member) {
        problems.push(`${where}: agent ${agent.email} not in ${department.name}`);
      }
      if (!named && member) problems.push(`${where}: agent ${agent.email} still in ${department.name}`);
    }
  }
  const declaredDepartments = new Set(declared.departments.map((d) => firstDepartment(d.name)));
  for (const department of contents.departments) {
    if (prune.departments && !declaredDepartments.has(department) && department.active) {
      problems.push(`${where}: undeclared department ${department.name} still active`);
    }
    for (const agentId of department.agentIds) {
      const agent = contents.agents.find((candidate) => candidate.id === agentId);
      if (prune.agents && (agent === undefined || !declaredAgents.has(emailKey(agent.email)))) {
        problems.push(`${where}: undeclared agent ${agent?.email ?? agentId} still in ${department.name}`);
      }
    }
  }
}

/** CONTRACT §5: prune only with rows, only without a lost sheet, and only kinds the manifest has a sheet for. */
function effectivePrune(world: World, prune: boolean): Record<ManifestKind, boolean> {
  const { desired, remembered } = world;
  const rows = desired.accounts.length + desired.departments.length + desired.agents.length;
  const lost = MANIFEST_KINDS.some((kind) => remembered.kindsSeen[kind] && !desired.kindsPresent[kind]);
  const on = prune && rows > 0 && !lost;
  return {
    accounts: on && desired.kindsPresent.accounts,
    departments: on && desired.kindsPresent.departments,
    agents: on && desired.kindsPresent.agents,
  };
}
