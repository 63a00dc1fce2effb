import { describe, expect, it } from 'vitest';
import { harness, statuses } from './harness.js';
import { accountCreate, agentCreate, departmentCreate, planOf } from './plans.js';

describe('creates whose outcome is unknown', () => {
  it('finds an agent the lost answer had created, and does not send it again', async () => {
    const { client, apply } = harness();
    client.script('createAgent', [{ transient: 'timeout', applied: true }]);
    const agent = agentCreate(42, 'Ana@Acme.example');
    const result = await apply(planOf(agent));

    const created = client.agents.find((candidate) => candidate.email === 'Ana@Acme.example');
    expect(result.outcomes.get(agent.id)).toMatchObject({
      status: 'ok',
      remoteId: created?.id,
      foundByLookup: true,
      attempts: 1,
    });
    expect(client.log.map((request) => request.method)).toEqual(['createAgent', 'listAgents']);
    expect(client.calls('listAgents')[0]!.args).toEqual([42]);
    expect(result.requests).toEqual({ reads: 1, writes: 1 });
    expect(client.agents).toHaveLength(1);
  });

  it('sends the agent again, once, when the lookup does not find it', async () => {
    const { client, apply } = harness();
    client.script('createAgent', [{ transient: 'network', outcomeUnknown: true }]);
    const agent = agentCreate(42, 'ana@acme.example');
    const result = await apply(planOf(agent));
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'ok', attempts: 2 });
    expect(client.log.map((request) => request.method)).toEqual(['createAgent', 'listAgents', 'createAgent']);
    expect(client.agents).toHaveLength(1);
  });

  it('finds a department the lost answer had created', async () => {
    const { client, apply } = harness();
    client.script('createDepartment', [{ transient: 'timeout', applied: true }]);
    const department = departmentCreate(42, 'Vendas Online');
    client.addDepartment(42, 'Suporte');
    const result = await apply(planOf(department));
    const created = client.departments.find((candidate) => candidate.name === 'Vendas Online')!;
    expect(result.outcomes.get(department.id)).toMatchObject({ status: 'ok', remoteId: created.id });
    expect(client.log.map((request) => request.method)).toEqual(['createDepartment', 'listDepartments']);
    expect(client.departments).toHaveLength(2);
  });

  it('sends a department again when the lookup does not find it', async () => {
    const { client, apply } = harness();
    client.script('createDepartment', [{ transient: 'timeout' }]);
    const department = departmentCreate(42, 'Sales');
    const result = await apply(planOf(department));
    expect(result.outcomes.get(department.id)?.status).toBe('ok');
    expect(client.log.map((request) => request.method)).toEqual([
      'createDepartment',
      'listDepartments',
      'createDepartment',
    ]);
  });

  it('looks a department up by a name that differs only in case and spaces', async () => {
    const { client, apply } = harness();
    client.script('createDepartment', [{ transient: 'timeout' }]);
    client.addDepartment(42, ' sales ');
    const department = departmentCreate(42, 'Sales');
    const result = await apply(planOf(department));
    expect(result.outcomes.get(department.id)).toMatchObject({ status: 'ok', foundByLookup: true });
    expect(client.calls('createDepartment')).toHaveLength(1);
  });

  it('records an account create with an unknown outcome, never sends it again, and skips what is in it', async () => {
    const { client, apply, store } = harness({ retries: 5 });
    client.script('createAccount', [{ transient: 'timeout' }]);
    const account = accountCreate('acme');
    const agent = agentCreate(account, 'ana@acme.example');
    const result = await apply(planOf(account, agent));

    expect(statuses(result)).toEqual({ [account.id]: 'unknown', [agent.id]: 'skipped' });
    expect(result.outcomes.get(agent.id)).toMatchObject({
      because: 'creating account acme had an unknown outcome',
    });
    expect(client.calls('createAccount')).toHaveLength(1);
    expect(store.getAccount('acme')).toMatchObject({
      accountId: null,
      createState: 'unknown',
      applied: { email: 'owner@acme.example', licenseQuantity: 10 },
    });
    expect(store.journalOfRun('run-1')).toMatchObject([{ kind: 'account.create', outcome: 'unknown' }]);
  });

  it('treats an unreadable 2xx answer to an account create as unknown too', async () => {
    const { client, apply, store } = harness();
    client.script('createAccount', [{ protocol: 200, applied: true }]);
    const account = accountCreate('acme');
    const result = await apply(planOf(account));
    expect(result.outcomes.get(account.id)).toMatchObject({ status: 'unknown', error: { kind: 'protocol' } });
    expect(store.getAccount('acme')?.createState).toBe('unknown');
  });

  it('retries a definite failure of an account create', async () => {
    const { client, apply, store } = harness();
    client.script('createAccount', [{ transient: 'http-5xx' }]);
    const account = accountCreate('acme');
    const result = await apply(planOf(account));
    expect(result.outcomes.get(account.id)).toMatchObject({ status: 'ok', attempts: 2 });
    expect(store.getAccount('acme')?.createState).toBe('known');
  });

  it('looks once more when the retries run out, and fails only when the agent is surely not there', async () => {
    const { client, apply } = harness({ retries: 1 });
    client.script('createAgent', [{ transient: 'timeout' }, { transient: 'timeout' }]);
    const agent = agentCreate(42, 'ana@acme.example');
    const result = await apply(planOf(agent));
    expect(client.log.map((request) => request.method)).toEqual([
      'createAgent',
      'listAgents',
      'createAgent',
      'listAgents',
    ]);
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('finds the agent in the final lookup when the last lost answer had created it', async () => {
    const { client, apply } = harness({ retries: 1 });
    client.script('createAgent', [{ transient: 'timeout' }, { transient: 'timeout', applied: true }]);
    const agent = agentCreate(42, 'ana@acme.example');
    const result = await apply(planOf(agent));
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'ok', foundByLookup: true, attempts: 2 });
    expect(client.agents).toHaveLength(1);
  });

  it('leaves the agent unknown when the final lookup cannot be made', async () => {
    const { client, apply } = harness({ retries: 1 });
    client.script('createAgent', [{ transient: 'timeout' }, { transient: 'timeout' }]);
    client.script('listAgents', [
      'ok',
      { transient: 'http-5xx' },
      { transient: 'http-5xx' },
      { transient: 'http-5xx' },
    ]);
    const agent = agentCreate(42, 'ana@acme.example');
    const result = await apply(planOf(agent));
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'unknown', error: { kind: 'transient' } });
    expect(client.calls('createAgent')).toHaveLength(2);
  });

  it('looks an agent up after an unreadable 2xx answer', async () => {
    const { client, apply } = harness();
    client.script('createAgent', [{ protocol: 200, applied: true }]);
    const agent = agentCreate(42, 'ana@acme.example');
    const result = await apply(planOf(agent));
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'ok', foundByLookup: true });
    expect(client.calls('createAgent')).toHaveLength(1);
  });
});
