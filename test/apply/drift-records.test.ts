import { describe, expect, it } from 'vitest';
import { GENERATED_PASSWORD_MARK } from '../../src/state/fingerprint.js';
import { StateStore } from '../../src/state/index.js';
import { openStore, tempStorePath } from '../state/temp-store.js';
import { harness, statuses } from './harness.js';
import { accountCreate, action, addAgents, agentCreate, departmentCreate, planOf } from './plans.js';

/**
 * What apply remembers for drift (CONTRACT §14): the values each successful write made, in the
 * state store file itself, read back by a store opened again on the same file.
 */
describe('apply remembers the values it made, for drift', () => {
  it('records a new department, its channels, a new agent and its membership, in the file', async () => {
    const path = tempStorePath();
    const { apply, store } = harness({ store: openStore(path) });
    const account = accountCreate('acme');
    const sales = departmentCreate(account, 'Vendas');
    const ana = agentCreate(account, 'Ana@Acme.example');
    const result = await apply(planOf(account, sales, ana, addAgents(sales, [ana])));
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['ok']));
    const accountId = store.getAccount('acme')?.accountId;
    store.close();

    const reopened = StateStore.open(path);
    try {
      const remembered = reopened.remembered();
      const departmentId = remembered.departments?.[0]?.departmentId;
      expect(remembered.departments).toEqual([
        { accountId, departmentId, name: 'Vendas', description: '', active: true },
      ]);
      expect(remembered.agents).toEqual([
        // Created with a random password: the mark that it has one, nothing of the password.
        {
          accountId,
          email: 'ana@acme.example',
          textLimit: 3,
          name: 'Ana',
          profile: 'AGENT',
          passwordFingerprint: GENERATED_PASSWORD_MARK,
        },
      ]);
      expect(remembered.memberships).toEqual([
        { accountId, departmentId, kind: 'agent', member: 'ana@acme.example', present: true },
        { accountId, departmentId, kind: 'channel', member: 'chat', present: true },
      ]);
    } finally {
      reopened.close();
    }
  });

  it('records updates, a profile change, channel and member removals on existing entities', async () => {
    const { apply, store, client } = harness();
    const accountId = 500;
    store.recordAccountCreated('acme', accountId, {});
    const department = client.addDepartment(accountId, 'Vendas');
    const agent = client.addAgent(accountId, 'bia@acme.example');
    const plan = planOf(
      action('department.update', 'acme', 'Vendas', {
        departmentId: department.id,
        name: 'Vendas SP',
        description: 'Time',
        active: true,
      }),
      action('department.deactivate', 'acme', 'Vendas', {
        departmentId: department.id,
        name: 'Vendas SP',
        description: 'Time',
        active: false,
      }),
      action('department.remove_channels', 'acme', 'Vendas', {
        departmentId: department.id,
        channels: ['video'],
      }),
      action('agent.update', 'acme', 'bia@acme.example', {
        agentId: agent.id,
        email: 'bia@acme.example',
        name: 'Bia Souza',
      }),
      action('agent.set_profile', 'acme', 'bia@acme.example', { agentId: agent.id, profile: 'ADMIN' }),
      action('department.remove_agents', 'acme', 'Vendas', {
        departmentId: department.id,
        agents: [
          { label: 'bia@acme.example', agentId: agent.id, reason: 'membership-changed', cause: 'manifest' },
        ],
      }),
    );
    const result = await apply(plan);
    expect(new Set(Object.values(statuses(result)))).toEqual(new Set(['ok']));
    const remembered = store.remembered();
    expect(remembered.departments).toEqual([
      { accountId, departmentId: department.id, name: 'Vendas SP', description: 'Time', active: false },
    ]);
    expect(remembered.agents).toEqual([
      { accountId, email: 'bia@acme.example', name: 'Bia Souza', profile: 'ADMIN' },
    ]);
    expect(remembered.memberships).toEqual([
      { accountId, departmentId: department.id, kind: 'agent', member: 'bia@acme.example', present: false },
      { accountId, departmentId: department.id, kind: 'channel', member: 'video', present: false },
    ]);
  });

  it('records nothing for a write the API refused', async () => {
    const { apply, store, client } = harness();
    const accountId = 500;
    store.recordAccountCreated('acme', accountId, {});
    const agent = client.addAgent(accountId, 'bia@acme.example');
    client.script('updateAgent', [{ reject: 'Name is invalid' }]);
    const plan = planOf(
      action('agent.update', 'acme', 'bia@acme.example', {
        agentId: agent.id,
        email: 'bia@acme.example',
        name: 'X',
      }),
    );
    const result = await apply(plan);
    expect(Object.values(statuses(result))).toEqual(['failed']);
    expect(store.remembered().agents).toEqual([]);
  });

  it('forgetting an account drops what was remembered inside it', async () => {
    const { apply, store } = harness();
    const account = accountCreate('acme');
    const sales = departmentCreate(account, 'Vendas');
    await apply(planOf(account, sales));
    expect(store.remembered().departments).toHaveLength(1);
    store.forgetAccount('acme');
    expect(store.remembered()).toMatchObject({ departments: [], memberships: [], agents: [] });
  });
});
