import { describe, expect, it } from 'vitest';
import { SANDBOX_ERRORS } from '../../src/sandbox/index.js';
import { clientFor, digestOf, PASSWORD, sandboxFor, WORLD } from './helpers.js';

const newAgent = (fields: Record<string, unknown> = {}) => ({
  agent: {
    email: 'nova@acme.com.br',
    name: 'Nova Conceição',
    password: PASSWORD,
    account_id: 1000,
    ...fields,
  },
});

describe('sandbox agents', () => {
  it('POST /agents answers the document agent object: AGENT by default, administrator "NAO", ativo 1, no text_limit', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { httpStatus, body } = await clientFor(sandbox).post('/agents', newAgent({ text_limit: 7 }));
    expect(httpStatus).toBe(200);
    expect(body).toMatchObject({ status: 200, success: true });
    expect(body.data).toMatchObject({
      id: 10003,
      name: 'Nova Conceição',
      email: 'nova@acme.com.br',
      administrator: 'NAO',
      ativo: 1,
      account_id: 1000,
      password: null,
    });
    expect(body.data).not.toHaveProperty('text_limit');
    expect(body.data.date_creation).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const stored = sandbox.data().agents.find((agent) => agent.id === 10003);
    expect(stored).toMatchObject({ text_limit: 7, password_sha256: PASSWORD });
  });

  it('creates an ADMIN as administrator "SIM", with ids counting up', async () => {
    const sandbox = await sandboxFor();
    const client = clientFor(sandbox);
    const account = await client.post('/accounts', {
      license_quantity: 1,
      account: { email: 'a@b.com', main_contact: 'A' },
    });
    const first = await client.post('/agents', {
      profile: 'ADMIN',
      ...newAgent({ account_id: account.body.data.id }),
    });
    const second = await client.post(
      '/agents',
      newAgent({ account_id: String(account.body.data.id), email: 'b@b.com' }),
    );
    expect(first.body.data).toMatchObject({ id: 10000, administrator: 'SIM' });
    expect(second.body.data).toMatchObject({ id: 10001, administrator: 'NAO' });
  });

  it('GET /agents lists the agents of one account only', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { body } = await clientFor(sandbox).get('/agents', { account_id: 1000 });
    expect(body.success).toBe(true);
    expect(body.data.map((agent: { email: string }) => agent.email)).toEqual([
      'ana@acme.com.br',
      'caio@acme.com.br',
    ]);
    expect(body.data[0]).toMatchObject({ administrator: 'SIM', ativo: 1 });
  });

  it('PUT /agents/:id updates e-mail, name, text_limit and password, answering no data', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    const newDigest = digestOf('outra senha');
    const { body } = await client.put('/agents/10001', {
      agent: {
        email: 'Caio.Novo@acme.com.br',
        name: 'Caio Araújo Filho',
        text_limit: 3,
        password: newDigest,
      },
    });
    expect(body).toEqual({ status: 200, success: true });
    const stored = sandbox.data().agents.find((agent) => agent.id === 10001);
    expect(stored).toMatchObject({
      email: 'Caio.Novo@acme.com.br',
      name: 'Caio Araújo Filho',
      text_limit: 3,
    });
    expect(stored?.password_sha256).toBe(newDigest);
    // The agent's own e-mail, in another case, is not a clash.
    const again = await client.put('/agents/10001', {
      agent: { email: 'caio.novo@ACME.com.br', name: 'Caio' },
    });
    expect(again.body.success).toBe(true);
  });

  it('PUT /agents/:id/profile switches administrator between SIM and NAO', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect((await client.put('/agents/10001/profile', { profile: 'ADMIN' })).body).toEqual({
      status: 200,
      success: true,
    });
    expect((await client.put('/agents/10000/profile', { profile: 'AGENT' })).body.success).toBe(true);
    const { body } = await client.get('/agents', { account_id: 1000 });
    expect(body.data.map((agent: { administrator: string }) => agent.administrator)).toEqual(['NAO', 'SIM']);
  });

  describe('validation errors (HTTP 200, success false)', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['blank e-mail', newAgent({ email: '  ' }), SANDBOX_ERRORS.emailBlank],
      ['missing e-mail', newAgent({ email: undefined }), SANDBOX_ERRORS.emailBlank],
      ['malformed e-mail', newAgent({ email: 'nova.acme.com.br' }), SANDBOX_ERRORS.emailInvalid],
      ['blank name', newAgent({ name: '' }), SANDBOX_ERRORS.nameBlank],
      [
        'e-mail taken in another account, other case',
        newAgent({ email: 'BRUNO@beta.com.br' }),
        SANDBOX_ERRORS.emailTaken,
      ],
      ['no password', newAgent({ password: undefined }), SANDBOX_ERRORS.passwordBlank],
      ['plain-text password', newAgent({ password: 'Senha-de-teste-1' }), SANDBOX_ERRORS.passwordNotHash],
      ['upper-case digest', newAgent({ password: PASSWORD.toUpperCase() }), SANDBOX_ERRORS.passwordNotHash],
      ['negative text_limit', newAgent({ text_limit: -1 }), SANDBOX_ERRORS.invalidTextLimit],
      ['unknown account', newAgent({ account_id: 4242 }), SANDBOX_ERRORS.accountNotFound],
      ['unknown profile', { profile: 'admin', ...newAgent() }, SANDBOX_ERRORS.invalidProfile],
    ];
    for (const [name, body, error] of cases) {
      it(`POST /agents with ${name}: "${error}", nothing created`, async () => {
        const sandbox = await sandboxFor({ seed: WORLD });
        const answer = await clientFor(sandbox).post('/agents', body);
        expect(answer.httpStatus).toBe(200);
        expect(answer.body).toEqual({ status: 200, success: false, errors: error });
        expect(sandbox.data().agents).toHaveLength(3);
      });
    }

    it('PUT /agents/:id: blank e-mail, blank name, a taken e-mail, a bad password, an unknown id', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      const update = (id: string, agent: Record<string, unknown>) => client.put(`/agents/${id}`, { agent });
      expect((await update('10001', { email: '', name: 'Caio' })).body.errors).toBe(
        SANDBOX_ERRORS.emailBlank,
      );
      expect((await update('10001', { email: 'caio@acme.com.br' })).body.errors).toBe(
        SANDBOX_ERRORS.nameBlank,
      );
      expect((await update('10001', { email: 'ANA@acme.com.br', name: 'Caio' })).body.errors).toBe(
        SANDBOX_ERRORS.emailTaken,
      );
      expect(
        (await update('10001', { email: 'caio@acme.com.br', name: 'Caio', password: 'x' })).body.errors,
      ).toBe(SANDBOX_ERRORS.passwordNotHash);
      expect((await update('99999', { email: 'z@acme.com.br', name: 'Z' })).body.errors).toBe(
        SANDBOX_ERRORS.agentNotFound,
      );
      expect((await update('abc', { email: 'z@acme.com.br', name: 'Z' })).body.errors).toBe(
        SANDBOX_ERRORS.agentNotFound,
      );
      expect(sandbox.data().agents.find((agent) => agent.id === 10001)?.name).toBe('Caio Araújo');
    });

    it('PUT /agents/:id/profile: an unknown profile and an unknown agent', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      expect((await client.put('/agents/10001/profile', { profile: 'SUPERVISOR' })).body.errors).toBe(
        SANDBOX_ERRORS.invalidProfile,
      );
      expect((await client.put('/agents/10001/profile', {})).body.errors).toBe(SANDBOX_ERRORS.invalidProfile);
      expect((await client.put('/agents/12345/profile', { profile: 'ADMIN' })).body.errors).toBe(
        SANDBOX_ERRORS.agentNotFound,
      );
    });

    it('GET /agents: an unknown or missing account', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      expect((await client.get('/agents', { account_id: 777 })).body).toEqual({
        status: 200,
        success: false,
        errors: SANDBOX_ERRORS.accountNotFound,
      });
      expect((await client.get('/agents')).body.errors).toBe(SANDBOX_ERRORS.accountNotFound);
    });
  });
});
