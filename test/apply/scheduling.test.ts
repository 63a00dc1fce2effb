import { describe, expect, it } from 'vitest';
import { actionsUnderWay, startApply } from '../../src/apply/apply.js';
import { createRunContext } from '../../src/apply/context.js';
import { EXECUTORS } from '../../src/apply/executors.js';
import { partnerApiRetryPolicy } from '../../src/apply/retry-policy.js';
import type { ApplyStateStore, WriteClient } from '../../src/apply/types.js';
import { createRequestGate } from '../../src/limits/request-gate.js';
import { ACTION_KINDS } from '../../src/plan/action.js';
import { harness, statuses } from './harness.js';
import { accountCreate, action, addAgents, agentCreate, departmentCreate, planOf } from './plans.js';

describe('scheduling', () => {
  it('has one executor for each kind of action, and none for anything else', () => {
    expect(Object.keys(EXECUTORS).sort()).toEqual([...ACTION_KINDS].sort());
  });

  it('creates an account before its departments and agents, and the agents before the batch naming them', async () => {
    const { client, apply } = harness();
    const account = accountCreate('acme');
    const sales = departmentCreate(account, 'Sales');
    const ana = agentCreate(account, 'ana@acme.example');
    const bia = agentCreate(account, 'bia@acme.example');
    const batch = addAgents(sales, [ana, bia]);
    const result = await apply(planOf(account, sales, ana, bia, batch));

    expect(Object.values(statuses(result))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const order = client.log.map((request) => request.method);
    expect(order[0]).toBe('createAccount');
    expect(order.at(-1)).toBe('addAgentsToDepartment');
    const accountId = result.outcomes.get(account.id);
    const accountRemoteId = accountId?.status === 'ok' ? accountId.remoteId : undefined;
    expect(client.calls('createDepartment')[0]!.args[0]).toMatchObject({ accountId: accountRemoteId });
    expect(client.calls('createAgent')[0]!.args[0]).toMatchObject({ accountId: accountRemoteId });

    // The batch goes to the new department's ID, with the new agents' IDs.
    const ids = (actionId: string) => {
      const outcome = result.outcomes.get(actionId);
      return outcome?.status === 'ok' ? outcome.remoteId : undefined;
    };
    expect(client.calls('addAgentsToDepartment')[0]!.args).toEqual([
      ids(sales.id),
      [ids(ana.id), ids(bia.id)],
    ]);
    // Every request starts after the ones it depends on have ended.
    const accountEnd = client.calls('createAccount')[0]!.endedAt!;
    for (const request of client.log.slice(1)) expect(request.startedAt).toBeGreaterThanOrEqual(accountEnd);
    const lastCreateEnd = Math.max(...client.calls('createAgent').map((request) => request.endedAt!));
    expect(client.calls('addAgentsToDepartment')[0]!.startedAt).toBeGreaterThanOrEqual(lastCreateEnd);
  });

  it('runs independent accounts in parallel and keeps going when one fails', async () => {
    const { client, apply } = harness({ concurrency: 4 });
    client.script('createAccount', [{ reject: 'E-mail has already been taken' }], ([account]) =>
      (account as { email: string }).email.includes('beta'),
    );
    const alpha = accountCreate('alpha');
    const beta = accountCreate('beta');
    const gamma = accountCreate('gamma');
    const alphaAgent = agentCreate(alpha, 'ana@alpha.example');
    const betaAgent = agentCreate(beta, 'bob@beta.example');
    const betaDepartment = departmentCreate(beta, 'Support');
    const gammaAgent = agentCreate(gamma, 'gil@gamma.example');
    const result = await apply(planOf(alpha, beta, gamma, alphaAgent, betaAgent, betaDepartment, gammaAgent));

    expect(statuses(result)).toEqual({
      [alpha.id]: 'ok',
      [beta.id]: 'failed',
      [gamma.id]: 'ok',
      [alphaAgent.id]: 'ok',
      [betaAgent.id]: 'skipped',
      [betaDepartment.id]: 'skipped',
      [gammaAgent.id]: 'ok',
    });
    expect(result.outcomes.get(beta.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { kind: 'rejected', message: 'E-mail has already been taken' },
    });
    expect(result.outcomes.get(betaAgent.id)).toMatchObject({
      because: 'creating account beta failed',
      attempts: 0,
    });
    // The three account creates were in flight together.
    const creates = client.calls('createAccount');
    const firstEnd = Math.min(...creates.map((request) => request.endedAt!));
    expect(creates.every((request) => request.startedAt < firstEnd)).toBe(true);
    expect(
      client.calls('createAgent').map((request) => (request.args[0] as { email: string }).email),
    ).toEqual(['ana@alpha.example', 'gil@gamma.example']);
  });

  it('skips what depends on a skipped action, naming the skipped dependency and why it was skipped', async () => {
    const { client, apply } = harness();
    client.script('createAccount', [{ reject: 'Invalid e-mail' }]);
    const account = accountCreate('acme');
    const sales = departmentCreate(account, 'Sales');
    const activate = action(
      'department.deactivate',
      'acme',
      'Sales',
      { departmentId: { fromAction: sales.id }, name: 'Sales', description: '', active: false },
      { dependsOn: [sales.id] },
    );
    const result = await apply(planOf(account, sales, activate));
    expect(result.outcomes.get(activate.id)).toMatchObject({
      status: 'skipped',
      because: 'creating department Sales of account acme was skipped (creating account acme failed)',
    });
    expect(client.log).toHaveLength(1);
  });

  it('runs account.delete only with --allow-delete', async () => {
    const remove = action('account.delete', 'old', 'old', { accountId: 77 }, { requires: 'allow-delete' });
    const without = harness();
    const skipped = await without.apply(planOf(remove));
    expect(skipped.outcomes.get(remove.id)).toEqual({
      status: 'skipped',
      because: 'needs --allow-delete',
      attempts: 0,
      durationMs: 0,
    });
    expect(without.client.log).toHaveLength(0);

    const allowed = harness({ allowDelete: true });
    const deleted = await allowed.apply(planOf(remove));
    expect(deleted.outcomes.get(remove.id)?.status).toBe('ok');
    expect(allowed.client.calls('deleteAccount').map((request) => request.args)).toEqual([[77]]);
    expect(allowed.store.getAccount('old')).toMatchObject({ accountId: 77, applied: { status: 'deleted' } });
  });

  it('skips an action whose dependency does not come before it, instead of waiting for ever', async () => {
    const { apply } = harness();
    const account = accountCreate('acme');
    const agent = agentCreate(account, 'ana@acme.example');
    const result = await apply(planOf(agent, account));
    expect(result.outcomes.get(agent.id)).toMatchObject({
      status: 'skipped',
      because: 'creating account acme comes after it in the plan; make the plan again',
    });
    expect(result.outcomes.get(account.id)?.status).toBe('ok');
  });

  it('reports each action once, started before finished, and counts requests', async () => {
    const { events, apply } = harness();
    const account = accountCreate('acme');
    const agent = agentCreate(account, 'ana@acme.example');
    const result = await apply(planOf(account, agent));
    const names = events.map((event) =>
      `${event.name} ${(event.args[0] as { id?: string }).id ?? ''}`.trim(),
    );
    expect(names.filter((name) => name.startsWith('action'))).toEqual([
      `actionStarted ${account.id}`,
      `actionFinished ${account.id}`,
      `actionStarted ${agent.id}`,
      `actionFinished ${agent.id}`,
    ]);
    expect(events.filter((event) => event.name === 'requestStarted')).toHaveLength(2);
    expect(result.requests).toEqual({ reads: 0, writes: 2 });
    expect(result.retries).toBe(0);
    expect(result.stoppedBy).toBeUndefined();
  });

  it('runs more independent chains than may be under way at once', async () => {
    // Real time and an instant client: the point is the number of actions, not time.
    let nextId = 1;
    const instant = async () => ({ id: nextId++ });
    const client = new Proxy({}, { get: () => instant }) as WriteClient;
    const store = new Proxy({}, { get: () => () => 1 }) as ApplyStateStore;
    const accounts = Array.from({ length: actionsUnderWay(8) * 2 }, (_, index) =>
      accountCreate(`key${index}`),
    );
    const agents = accounts.map((account) => agentCreate(account, `ana@${account.account}.example`));
    const context = createRunContext({
      client,
      gate: createRequestGate({ concurrency: 8, rate: 1e9 }),
      retryPolicy: partnerApiRetryPolicy(0),
      state: { store, runId: 'run-1' },
    });
    const run = startApply(planOf(...accounts, ...agents), context, {
      passwords: () => undefined,
      allowDelete: false,
    });
    const result = await run.done;
    expect([...result.outcomes.values()].filter((outcome) => outcome.status !== 'ok')).toEqual([]);
    expect(result.requests.writes).toBe(accounts.length * 2);
  });
});
