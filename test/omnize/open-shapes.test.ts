import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { InternalError } from '../../src/errors.js';
import { sha256Hex } from '../../src/omnize/password.js';
import { capturingLogger, rejectionOf } from './capture.js';
import { CREATED_DEPARTMENT, DOCUMENTED_AGENT, success } from './documented-answers.js';
import { expectRequest, makeClient } from './support.js';

/** The shapes API-NOTES lists as open, and the Portuguese the client maps at its edge. */

afterEach(() => {
  nock.cleanAll();
});

const NEW_DEPARTMENT = {
  accountId: 1,
  name: 'New Department',
  description: 'A new created department',
  active: true,
  channels: ['chat' as const],
};
const READ_DEPARTMENT = {
  id: 501,
  accountId: 1,
  name: 'New Department',
  description: 'A new created department',
  active: true,
};

describe('department create answers', () => {
  it.each([
    ['a one-element list', [CREATED_DEPARTMENT]],
    ['the object itself', CREATED_DEPARTMENT],
  ])('accepts data as %s', async (_shape, data) => {
    void expectRequest('POST', '/api/v1/departments', success(data));
    await expect(makeClient().createDepartment(NEW_DEPARTMENT)).resolves.toStrictEqual(READ_DEPARTMENT);
  });

  it('fills the fields the answer leaves out from the request, and reads an ID sent as a string', async () => {
    void expectRequest('POST', '/api/v1/departments', success([{ id: '501' }]));
    await expect(makeClient().createDepartment(NEW_DEPARTMENT)).resolves.toStrictEqual(READ_DEPARTMENT);
  });
});

describe('listOfChannels items', () => {
  const CHANNELS_PATH = '/api/v1/departments/501/channels';

  it.each([
    ['plain strings', ['chat', 'video']],
    [
      'objects with "name"',
      [
        { id: 1, name: 'chat' },
        { id: 2, name: 'video' },
      ],
    ],
    ['objects with "channel"', [{ channel: 'chat' }, { channel: 'video' }]],
    ['objects with "type"', [{ type: 'chat' }, { type: 'video' }]],
    [
      'a name that is not a channel next to a "type" that is',
      [{ name: 'Chat do site', type: 'chat' }, 'video'],
    ],
    ['upper case and spaces, repeated', [' Chat ', 'VIDEO', 'chat']],
    ['the list wrapped in a list', [['chat', 'video']]],
  ])('reads %s', async (_shape, data) => {
    void expectRequest('GET', CHANNELS_PATH, success(data));
    await expect(makeClient().listDepartmentChannels(501)).resolves.toStrictEqual(['chat', 'video']);
  });

  it('leaves out channels outside the vocabulary, with a warning naming them', async () => {
    const log = capturingLogger();
    void expectRequest('GET', CHANNELS_PATH, success(['chat', { name: 'whatsapp' }]));
    await expect(makeClient({ logger: log.logger }).listDepartmentChannels(501)).resolves.toStrictEqual([
      'chat',
    ]);
    const warning = log.lines().find((line) => line.level === 40 && Array.isArray(line.unknown));
    expect(warning).toMatchObject({ departmentId: 501, unknown: ['whatsapp'] });
  });
});

describe('listOfAgents of a department', () => {
  it.each([
    ['agent objects', [DOCUMENTED_AGENT, { ...DOCUMENTED_AGENT, id: 456 }]],
    [
      'join rows naming the agent in agent_id',
      [
        { id: 9, agent_id: 12153 },
        { id: 10, agent_id: '456' },
      ],
    ],
    ['bare IDs as numbers and strings', [12153, '456']],
    ['repeated IDs', [12153, 456, '12153']],
  ])('reads %s', async (_shape, data) => {
    void expectRequest('GET', '/api/v1/departments/501/agents', success(data));
    await expect(makeClient().listDepartmentAgents(501)).resolves.toStrictEqual([12153, 456]);
  });

  it('an empty or absent list is no members', async () => {
    void expectRequest('GET', '/api/v1/departments/501/agents', success([]));
    await expect(makeClient().listDepartmentAgents(501)).resolves.toStrictEqual([]);
    void expectRequest('GET', '/api/v1/departments/501/agents', { status: 200, success: true, data: null });
    await expect(makeClient().listDepartmentAgents(501)).resolves.toStrictEqual([]);
  });
});

describe('Portuguese fields mapped at the edge', () => {
  it('maps administrator SIM/NAO to the profile and ativo in every spelling to a boolean; IDs to numbers', async () => {
    const data = [
      { id: '7', account_id: '3373', email: 'a@x.com', name: 'A', administrator: 'SIM', ativo: '1' },
      { id: 8, account_id: 3373, email: 'b@x.com', name: 'B', administrator: 'NAO', ativo: 0 },
      { id: 9, email: 'c@x.com', name: 'C', administrator: 'sim', ativo: true },
      { id: 10, email: 'd@x.com', name: 'D', ativo: '0' },
    ];
    void expectRequest('GET', '/api/v1/agents', success(data));
    const agents = await makeClient().listAgents(3373);
    expect(
      agents.map(({ id, accountId, profile, active }) => ({ id, accountId, profile, active })),
    ).toStrictEqual([
      { id: 7, accountId: 3373, profile: 'ADMIN', active: true },
      { id: 8, accountId: 3373, profile: 'AGENT', active: false },
      { id: 9, accountId: 3373, profile: 'ADMIN', active: true },
      { id: 10, accountId: 3373, profile: 'AGENT', active: false },
    ]);
  });

  it('reads departments with ativo "0", a null description and no account_id', async () => {
    void expectRequest(
      'GET',
      '/api/v1/departments',
      success([{ id: 3, name: 'Vendas', description: null, ativo: '0' }]),
    );
    await expect(makeClient().listDepartments(42)).resolves.toStrictEqual([
      { id: 3, accountId: 42, name: 'Vendas', description: '', active: false },
    ]);
  });

  it('sends phone as telefone and active as ativo, and only the fields given', async () => {
    const seen = expectRequest('PUT', '/api/v1/accounts/4931', success());
    await makeClient().updateAccount(4931, { phone: '(11) 1234-5678', active: false });
    expect((await seen).body).toStrictEqual({
      token: 'hj4h2k3h4k23',
      account: { telefone: '(11) 1234-5678', ativo: 0 },
    });
  });
});

describe('optional keys are left out of the body', () => {
  const DIGEST = sha256Hex('pw');

  it('an agent create without profile or text limit sends neither', async () => {
    const seen = expectRequest('POST', '/api/v1/agents', success(DOCUMENTED_AGENT));
    const agent = { accountId: 1111, email: 'a@example.com', name: 'A', passwordSha256: DIGEST };
    await makeClient().createAgent(agent);
    expect((await seen).body).toStrictEqual({
      token: 'hj4h2k3h4k23',
      agent: { email: 'a@example.com', name: 'A', password: DIGEST, account_id: 1111 },
    });
  });

  it('an agent create answer without administrator takes the requested profile', async () => {
    const { administrator: _administrator, ...answer } = DOCUMENTED_AGENT;
    void expectRequest('POST', '/api/v1/agents', success([answer]));
    const agent = {
      accountId: 3373,
      email: 'a@example.com',
      name: 'A',
      passwordSha256: DIGEST,
      profile: 'ADMIN' as const,
    };
    await expect(makeClient().createAgent(agent)).resolves.toMatchObject({ id: 12153, profile: 'ADMIN' });
  });

  it('an agent update sends email and name only, when nothing else changed', async () => {
    const seen = expectRequest('PUT', '/api/v1/agents/5', success());
    await makeClient().updateAgent(5, { email: 'a@example.com', name: 'A' });
    expect((await seen).body).toStrictEqual({
      token: 'hj4h2k3h4k23',
      agent: { email: 'a@example.com', name: 'A' },
    });
  });

  it('an account create without password, phone or url sends none of them', async () => {
    const seen = expectRequest('POST', '/api/v1/accounts', success({ id: '77' }));
    const created = await makeClient().createAccount({
      licenseQuantity: 0,
      email: 'a@example.com',
      mainContact: 'A',
    });
    expect(created).toStrictEqual({ id: 77 });
    expect((await seen).body).toStrictEqual({
      token: 'hj4h2k3h4k23',
      license_quantity: 0,
      account: { email: 'a@example.com', main_contact: 'A' },
    });
  });
});

describe('mistakes of the caller are caught before anything is sent', () => {
  it('refuses a plain-text password where its digest belongs, without showing it', async () => {
    const agent = { accountId: 1, email: 'a@example.com', name: 'A', passwordSha256: 'plain-password' };
    const error = await rejectionOf(makeClient().createAgent(agent));
    expect(error).toBeInstanceOf(InternalError);
    expect(error.message).not.toContain('plain-password');
  });

  it('refuses an ID that is not a positive whole number', async () => {
    expect(await rejectionOf(makeClient().updateAgentProfile(Number.NaN, 'AGENT'))).toBeInstanceOf(
      InternalError,
    );
    expect(await rejectionOf(makeClient().addAgentsToDepartment(5, [1.5]))).toBeInstanceOf(InternalError);
  });
});
