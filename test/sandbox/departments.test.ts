import { describe, expect, it } from 'vitest';
import { SANDBOX_ERRORS } from '../../src/sandbox/index.js';
import { clientFor, sandboxFor, WORLD } from './helpers.js';

const newDepartment = (fields: Record<string, unknown> = {}) => ({
  department: {
    account_id: 1000,
    name: 'New Department',
    description: 'A new created department',
    ativo: 1,
    channels: ['chat', 'video', 'audio'],
    ...fields,
  },
});

const emails = (agents: { email: string }[]) => agents.map((agent) => agent.email);

describe('sandbox departments', () => {
  it('POST /departments answers data: [createdObject], with its channels kept', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    const { httpStatus, body } = await client.post('/departments', newDepartment());
    expect(httpStatus).toBe(200);
    expect(body).toMatchObject({ status: 200, success: true });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      id: 501,
      account_id: 1000,
      name: 'New Department',
      description: 'A new created department',
      ativo: 1,
    });
    expect((await client.get('/departments/501/channels')).body.data).toEqual(['chat', 'video', 'audio']);
  });

  it('GET /departments lists the departments of one account, inactive ones too', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    await client.post('/departments', newDepartment({ name: 'Suporte', ativo: 0 }));
    await client.post('/departments', newDepartment({ account_id: 1001, name: 'Outra conta' }));
    const { body } = await client.get('/departments', { account_id: 1000 });
    expect(body.success).toBe(true);
    expect(
      body.data.map((department: { name: string; ativo: number }) => [department.name, department.ativo]),
    ).toEqual([
      ['Vendas', 1],
      ['Suporte', 0],
    ]);
  });

  it('PUT /departments/:id answers data: [updatedObject]', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { body } = await clientFor(sandbox).put('/departments/500', {
      department: { name: 'Vendas Online', description: 'Loja virtual', ativo: 0 },
    });
    expect(body.success).toBe(true);
    expect(body.data).toEqual([
      expect.objectContaining({ id: 500, name: 'Vendas Online', description: 'Loja virtual', ativo: 0 }),
    ]);
  });

  it('GET /departments/:id/channels and /agents answer plain channel names and agent objects', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect((await client.get('/departments/500/channels')).body).toEqual({
      status: 200,
      success: true,
      data: ['chat'],
    });
    const agents = await client.get('/departments/500/agents');
    expect(agents.body.data).toEqual([
      expect.objectContaining({ id: 10000, administrator: 'SIM', ativo: 1 }),
    ]);
  });

  it('add_agents and remove_agents answer the department agents after the change (ids as strings)', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    const added = await client.post('/departments/500/add_agents', { agents: ['10001', '10000'] });
    expect(added.body.success).toBe(true);
    expect(emails(added.body.data)).toEqual(['ana@acme.com.br', 'caio@acme.com.br']);
    const removed = await client.post('/departments/500/remove_agents', { agents: ['10000'] });
    expect(emails(removed.body.data)).toEqual(['caio@acme.com.br']);
    expect(sandbox.data().departments[0]?.agent_ids).toEqual([10001]);
  });

  it('add_channels and remove_channels answer the channel list after the change', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect(
      (await client.post('/departments/500/add_channels', { channels: ['audio', 'chat'] })).body.data,
    ).toEqual(['chat', 'audio']);
    expect((await client.post('/departments/500/remove_channels', { channels: ['chat'] })).body.data).toEqual(
      ['audio'],
    );
  });

  describe('validation errors (HTTP 200, success false)', () => {
    const createCases: [string, Record<string, unknown>, string][] = [
      [
        'a name already in the account, other case and spaces',
        newDepartment({ name: '  VENDAS ' }),
        SANDBOX_ERRORS.departmentNameTaken,
      ],
      ['a blank name', newDepartment({ name: ' ' }), SANDBOX_ERRORS.nameBlank],
      ['an unknown account', newDepartment({ account_id: 9 }), SANDBOX_ERRORS.accountNotFound],
      [
        'an unknown channel',
        newDepartment({ channels: ['chat', 'whatsapp'] }),
        SANDBOX_ERRORS.invalidChannel,
      ],
      ['a channel in another case', newDepartment({ channels: ['Chat'] }), SANDBOX_ERRORS.invalidChannel],
      ['a bad ativo', newDepartment({ ativo: 'sim' }), SANDBOX_ERRORS.invalidAtivo],
    ];
    for (const [name, body, error] of createCases) {
      it(`POST /departments with ${name}: "${error}", nothing created`, async () => {
        const sandbox = await sandboxFor({ seed: WORLD });
        const answer = await clientFor(sandbox).post('/departments', body);
        expect(answer.httpStatus).toBe(200);
        expect(answer.body).toEqual({ status: 200, success: false, errors: error });
        expect(sandbox.data().departments).toHaveLength(1);
      });
    }

    it('the same department name is fine in another account', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const { body } = await clientFor(sandbox).post(
        '/departments',
        newDepartment({ account_id: 1001, name: 'Vendas' }),
      );
      expect(body.success).toBe(true);
    });

    it('PUT /departments/:id: a taken name, a blank name, nothing to update, an unknown id', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      await client.post('/departments', newDepartment({ name: 'Suporte' }));
      const errorOf = async (id: number | string, department?: Record<string, unknown>) =>
        (await client.put(`/departments/${id}`, { department })).body.errors;
      expect(await errorOf(501, { name: 'vendas' })).toBe(SANDBOX_ERRORS.departmentNameTaken);
      expect(await errorOf(501, { name: '' })).toBe(SANDBOX_ERRORS.nameBlank);
      expect(await errorOf(501)).toBe(SANDBOX_ERRORS.nothingToUpdate);
      expect(await errorOf(999, { name: 'X' })).toBe(SANDBOX_ERRORS.departmentNotFound);
      // Renaming to its own name in another case is not a clash.
      expect((await client.put('/departments/501', { department: { name: 'SUPORTE' } })).body.success).toBe(
        true,
      );
    });

    it('add_agents with an unknown id or an agent of another account fails and changes nothing', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      const errorOf = async (agents: unknown) =>
        (await client.post('/departments/500/add_agents', { agents })).body.errors;
      expect(await errorOf(['10001', '424242'])).toBe(SANDBOX_ERRORS.agentNotFound);
      expect(await errorOf(['10001', '10002'])).toBe(SANDBOX_ERRORS.agentOfAnotherAccount);
      expect(await errorOf(['x'])).toBe(SANDBOX_ERRORS.agentNotFound);
      expect(await errorOf([])).toBe(SANDBOX_ERRORS.agentsBlank);
      expect(await errorOf(undefined)).toBe(SANDBOX_ERRORS.agentsBlank);
      expect(sandbox.data().departments[0]?.agent_ids).toEqual([10000]);
      const removal = await client.post('/departments/500/remove_agents', { agents: ['10002'] });
      expect(removal.body.errors).toBe(SANDBOX_ERRORS.agentOfAnotherAccount);
    });

    it('add_channels/remove_channels with an unknown channel or none; any call on an unknown department', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      expect((await client.post('/departments/500/add_channels', { channels: ['fax'] })).body.errors).toBe(
        SANDBOX_ERRORS.invalidChannel,
      );
      expect((await client.post('/departments/500/remove_channels', { channels: [] })).body.errors).toBe(
        SANDBOX_ERRORS.channelsBlank,
      );
      expect(sandbox.data().departments[0]?.channels).toEqual(['chat']);
      for (const path of ['add_agents', 'remove_agents', 'add_channels', 'remove_channels']) {
        const answer = await client.post(`/departments/777/${path}`, {
          agents: ['10000'],
          channels: ['chat'],
        });
        expect(answer.body.errors).toBe(SANDBOX_ERRORS.departmentNotFound);
      }
      expect((await client.get('/departments/777/agents')).body.errors).toBe(
        SANDBOX_ERRORS.departmentNotFound,
      );
      expect((await client.get('/departments/777/channels')).body.errors).toBe(
        SANDBOX_ERRORS.departmentNotFound,
      );
      expect((await client.get('/departments', { account_id: 'x' })).body.errors).toBe(
        SANDBOX_ERRORS.accountNotFound,
      );
    });
  });
});
