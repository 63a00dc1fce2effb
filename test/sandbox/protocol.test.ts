import { describe, expect, it } from 'vitest';
import { SANDBOX_ERRORS } from '../../src/sandbox/index.js';
import { clientFor, jsonOf, PASSWORD, sandboxFor, TOKEN, WORLD } from './helpers.js';

async function login(authUrl: string, body: Record<string, unknown>) {
  const response = await fetch(authUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { httpStatus: response.status, body: await jsonOf(response) };
}

describe('sandbox token check', () => {
  it('a bad token on a POST: HTTP 200, "Invalid token", nothing created', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { httpStatus, body } = await clientFor(sandbox, 'not-the-token').post('/accounts', {
      license_quantity: 1,
      account: { email: 'x@y.com', main_contact: 'X' },
    });
    expect(httpStatus).toBe(200);
    expect(body).toEqual({ status: 200, success: false, errors: 'Invalid token' });
    expect(sandbox.data().accounts).toHaveLength(2);
  });

  it('a bad token on a GET: HTTP 200, "Invalid token"', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { httpStatus, body } = await clientFor(sandbox, 'wrong').get('/agents', { account_id: 1000 });
    expect(httpStatus).toBe(200);
    expect(body).toEqual({ status: 200, success: false, errors: SANDBOX_ERRORS.invalidToken });
  });

  it('takes the token only where the document puts it: the body for writes, ?token= for GET', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const inQueryForPut = await fetch(`${sandbox.baseUrl}/accounts/1000?token=${TOKEN}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ license_quantity: 9 }),
    });
    expect((await jsonOf(inQueryForPut)).errors).toBe(SANDBOX_ERRORS.invalidToken);
    const noToken = await fetch(`${sandbox.baseUrl}/departments?account_id=1000`);
    expect((await jsonOf(noToken)).errors).toBe(SANDBOX_ERRORS.invalidToken);
    const deleted = await clientFor(sandbox, '').delete('/accounts/1000');
    expect(deleted.body.errors).toBe(SANDBOX_ERRORS.invalidToken);
    expect(sandbox.data().accounts[0]).toMatchObject({ license_quantity: 5, deleted: false });
  });
});

describe('sandbox transport', () => {
  it('answers 404 for an unknown route or method, 400 for a body that is not JSON', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const unknown = await fetch(`${sandbox.baseUrl}/widgets?token=${TOKEN}`);
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toEqual({
      status: 404,
      success: false,
      errors: SANDBOX_ERRORS.routeNotFound,
    });
    expect((await fetch(`${sandbox.baseUrl}/accounts?token=${TOKEN}`)).status).toBe(404);
    const malformed = await fetch(`${sandbox.baseUrl}/accounts`, { method: 'POST', body: '{"token":' });
    expect(malformed.status).toBe(400);
    expect((await jsonOf(malformed)).errors).toBe(SANDBOX_ERRORS.malformedJson);
  });

  it('records each request without the token, passwords or digests', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    await client.get('/agents', { account_id: 1000 });
    await client.post('/agents', {
      agent: { email: 'n@acme.com.br', name: 'N', password: PASSWORD, account_id: 1000 },
    });
    expect(
      sandbox.requests.map(({ method, path, status, success }) => ({ method, path, status, success })),
    ).toEqual([
      { method: 'GET', path: '/api/v1/agents?account_id=1000', status: 200, success: true },
      { method: 'POST', path: '/api/v1/agents', status: 200, success: true },
    ]);
    const recorded = JSON.stringify(sandbox.requests);
    expect(recorded).not.toContain(TOKEN);
    expect(recorded).not.toContain(PASSWORD);
    expect(sandbox.requests[1]?.body).toMatchObject({ agent: { email: 'n@acme.com.br', account_id: 1000 } });
  });
});

describe('sandbox /authentication (Url login)', () => {
  it('answers {message:"", token:<JWT>, status:200} for an agent e-mail and the partner token', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { httpStatus, body } = await login(sandbox.authUrl, {
      action: 'loginPartner',
      username: 'Caio@Acme.com.br',
      token: TOKEN,
    });
    expect(httpStatus).toBe(200);
    expect(body).toMatchObject({ message: '', status: 200 });
    const parts = (body.token as string).split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: '10001', email: 'caio@acme.com.br', account_id: 1000 });
    expect(claims.exp).toBeGreaterThan(claims.iat);
  });

  it('refuses with a non-200 status in the body (HTTP 200): bad token, unknown user, inactive user, wrong action', async () => {
    const sandbox = await sandboxFor({
      seed: {
        ...WORLD,
        agents: [
          ...WORLD.agents,
          { id: 10009, account_id: 1001, email: 'off@beta.com.br', name: 'Off', ativo: 0 as const },
        ],
      },
    });
    const attempt = (body: Record<string, unknown>) =>
      login(sandbox.authUrl, { action: 'loginPartner', username: 'ana@acme.com.br', token: TOKEN, ...body });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ token: 'bad' }, 401, SANDBOX_ERRORS.invalidToken],
      [{ username: 'ninguem@acme.com.br' }, 404, SANDBOX_ERRORS.userNotFound],
      [{ username: '' }, 404, SANDBOX_ERRORS.userNotFound],
      [{ username: 'off@beta.com.br' }, 403, SANDBOX_ERRORS.userInactive],
      [{ action: 'login' }, 400, SANDBOX_ERRORS.unknownAction],
    ];
    for (const [change, status, message] of cases) {
      const { httpStatus, body } = await attempt(change);
      expect(httpStatus).toBe(200);
      expect(body).toEqual({ message, token: '', status });
    }
  });

  it('does not log in an agent of an inactive or deleted account', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    await client.put('/accounts/1001', { account: { ativo: 0 } });
    await client.delete('/accounts/1000');
    const inactive = await login(sandbox.authUrl, {
      action: 'loginPartner',
      username: 'bruno@beta.com.br',
      token: TOKEN,
    });
    const deleted = await login(sandbox.authUrl, {
      action: 'loginPartner',
      username: 'ana@acme.com.br',
      token: TOKEN,
    });
    expect(inactive.body.status).toBe(403);
    expect(deleted.body.status).toBe(404);
  });
});
