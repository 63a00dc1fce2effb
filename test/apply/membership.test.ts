import { describe, expect, it } from 'vitest';
import { MEMBERSHIP_BATCH_LIMIT } from '../../src/apply/membership.js';
import { harness } from './harness.js';
import { addAgents, agentCreate, planOf } from './plans.js';

describe('membership batches', () => {
  it('isolates the agent a rejected batch chokes on, and lands the others', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    const agents = Array.from({ length: 8 }, (_, index) => client.addAgent(1, `agent${index}@acme.example`));
    client.refusedMembers.set(agents[5]!.id, 'Agent already belongs to another account');
    const batch = addAgents(
      department.id,
      agents.map((agent) => agent.id),
    );
    const result = await apply(planOf(batch));

    // The whole batch, then halves, depth first, down to the bad agent: 1 + 2·log2(8) requests.
    expect(
      client.calls('addAgentsToDepartment').map((request) => (request.args[1] as number[]).length),
    ).toEqual([8, 4, 4, 2, 1, 1, 2]);
    const landed = agents.filter((_, index) => index !== 5).map((agent) => agent.id);
    expect([...department.agentIds].sort()).toEqual(landed.sort());
    expect(result.outcomes.get(batch.id)).toMatchObject({
      status: 'failed',
      attempts: 7,
      error: {
        kind: 'rejected',
        message: `1 of 8 agents not added to department ${department.id}: #${agents[5]!.id}: Agent already belongs to another account`,
      },
      memberFailures: [
        {
          label: `#${agents[5]!.id}`,
          agentId: agents[5]!.id,
          status: 'failed',
          error: { kind: 'rejected', message: 'Agent already belongs to another account' },
        },
      ],
    });
  });

  it('names each bad agent with its manifest row when several are refused', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    const creates = ['ana', 'bia', 'caio', 'davi'].map((name) => agentCreate(1, `${name}@acme.example`));
    const batch = addAgents(department.id, creates);
    for (const email of ['bia@acme.example', 'davi@acme.example']) {
      client.refusedEmails.set(email, `E-mail ${email} inválido`);
    }
    const result = await apply(planOf(...creates, batch));
    const outcome = result.outcomes.get(batch.id);
    expect(outcome?.status).toBe('failed');
    const failures = outcome?.status === 'failed' ? outcome.memberFailures : [];
    expect(failures?.map(({ label, source, error }) => ({ label, source, message: error.message }))).toEqual([
      {
        label: 'bia@acme.example',
        source: { file: 'agents.csv', row: 3 },
        message: 'E-mail bia@acme.example inválido',
      },
      {
        label: 'davi@acme.example',
        source: { file: 'agents.csv', row: 5 },
        message: 'E-mail davi@acme.example inválido',
      },
    ]);
    expect(department.agentIds.size).toBe(2);
  });

  it('holds back only the member whose create failed, and lands the rest without failing the batch', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    const ana = agentCreate(1, 'ana@acme.example');
    const bia = agentCreate(1, 'bia@acme.example');
    client.script('createAgent', [{ reject: 'E-mail has already been taken' }], (args) =>
      (args[0] as { email: string }).email.startsWith('bia'),
    );
    const batch = addAgents(department.id, [ana, bia]);
    const result = await apply(planOf(ana, bia, batch));

    const anaId = client.agents.find((agent) => agent.email === 'ana@acme.example')!.id;
    expect(client.calls('addAgentsToDepartment').map((request) => request.args)).toEqual([
      [department.id, [anaId]],
    ]);
    expect(result.outcomes.get(bia.id)?.status).toBe('failed');
    expect(result.outcomes.get(batch.id)).toMatchObject({
      status: 'ok',
      skippedMembers: [
        {
          label: 'bia@acme.example',
          source: { file: 'agents.csv', row: 3 },
          because: 'creating the agent failed',
        },
      ],
    });
  });

  it('skips the batch when none of its members could be created', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    client.script('createAgent', [{ reject: 'E-mail has already been taken' }]);
    const ana = agentCreate(1, 'ana@acme.example');
    const batch = addAgents(department.id, [ana]);
    const result = await apply(planOf(ana, batch));
    expect(result.outcomes.get(batch.id)).toMatchObject({
      status: 'skipped',
      because: 'nothing to send: ana@acme.example (agents.csv:2) skipped: creating the agent failed',
    });
    expect(client.calls('addAgentsToDepartment')).toHaveLength(0);
  });

  it('sends a very large batch in chunks', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    const agentIds = Array.from({ length: MEMBERSHIP_BATCH_LIMIT * 2 + 7 }, (_, index) => 5_000 + index);
    const batch = addAgents(department.id, agentIds);
    const result = await apply(planOf(batch));
    expect(result.outcomes.get(batch.id)).toMatchObject({ status: 'ok', attempts: 3 });
    expect(
      client.calls('addAgentsToDepartment').map((request) => (request.args[1] as number[]).length),
    ).toEqual([MEMBERSHIP_BATCH_LIMIT, MEMBERSHIP_BATCH_LIMIT, 7]);
    expect(department.agentIds.size).toBe(agentIds.length);
  });

  it('bisects a remove_agents batch too', async () => {
    const { client, apply } = harness();
    const department = client.addDepartment(1, 'Sales');
    const agents = [1, 2, 3, 4].map((index) => client.addAgent(1, `agent${index}@acme.example`));
    for (const agent of agents) department.agentIds.add(agent.id);
    client.refusedMembers.set(agents[0]!.id, 'Agent not found');
    const batch = addAgents(
      department.id,
      agents.map((agent) => agent.id),
      'department.remove_agents',
    );
    const result = await apply(planOf(batch));
    expect(result.outcomes.get(batch.id)?.status).toBe('failed');
    expect([...department.agentIds]).toEqual([agents[0]!.id]);
    expect(client.calls('removeAgentsFromDepartment')).toHaveLength(5);
  });

  it('does not split a batch whose failure is not a rejection', async () => {
    const { client, apply } = harness({ retries: 1 });
    const department = client.addDepartment(1, 'Sales');
    client.script('addAgentsToDepartment', [{ transient: 'http-5xx' }, { transient: 'timeout' }]);
    const batch = addAgents(department.id, [7, 8, 9]);
    const result = await apply(planOf(batch));
    expect(client.calls('addAgentsToDepartment')).toHaveLength(2);
    expect(result.outcomes.get(batch.id)).toMatchObject({
      status: 'unknown',
      memberFailures: [{ status: 'unknown' }, { status: 'unknown' }, { status: 'unknown' }],
    });
  });
});
