import { describe, expect, it } from 'vitest';
import { SANDBOX_ERRORS } from '../../src/sandbox/index.js';
import { clientFor, jsonOf, PASSWORD, sandboxFor, seededRandom, TOKEN, WORLD } from './helpers.js';

const agentBody = (email: string) => ({
  token: TOKEN,
  agent: { email, name: 'Nome', password: PASSWORD, account_id: 1000 },
});

function postAgent(baseUrl: string, email: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${baseUrl}/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(agentBody(email)),
    signal,
  });
}

const agentEmails = (data: { agents: { email: string }[] }) => data.agents.map((agent) => agent.email);

describe('sandbox rate limit', () => {
  it('answers HTTP 429 with Retry-After above --rate-limit in a one-second window, then admits again', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, rateLimit: 3 });
    const client = clientFor(sandbox);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => client.get('/agents', { account_id: 1000 })),
    );
    const statuses = answers.map((answer) => answer.httpStatus).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = answers.find((answer) => answer.httpStatus === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toEqual({ status: 429, success: false, errors: SANDBOX_ERRORS.rateLimited });
    expect(sandbox.requests.filter((request) => request.fault === 'rate-limit')).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(refused.headers.get('retry-after'))));
    expect((await client.get('/agents', { account_id: 1000 })).httpStatus).toBe(200);
  });

  it('a refused write is not applied; setRateLimit(undefined) lifts the limit', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, rateLimit: 1 });
    expect((await postAgent(sandbox.baseUrl, 'um@acme.com.br')).status).toBe(200);
    expect((await postAgent(sandbox.baseUrl, 'dois@acme.com.br')).status).toBe(429);
    expect(agentEmails(sandbox.data())).not.toContain('dois@acme.com.br');
    sandbox.setRateLimit(undefined);
    expect((await postAgent(sandbox.baseUrl, 'tres@acme.com.br')).status).toBe(200);
  });
});

describe('sandbox faults', () => {
  it('server-error: HTTP 500 with an HTML page, the write not applied', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    sandbox.failNext('server-error');
    const response = await postAgent(sandbox.baseUrl, 'falha@acme.com.br');
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/500 Internal Server Error/);
    expect(agentEmails(sandbox.data())).not.toContain('falha@acme.com.br');
    expect(sandbox.requests[0]).toMatchObject({ status: 500, fault: 'server-error' });
  });

  it('drop: the connection is destroyed without an answer, so fetch rejects', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    sandbox.failNext('drop');
    await expect(fetch(`${sandbox.baseUrl}/agents?token=${TOKEN}&account_id=1000`)).rejects.toThrow();
    expect(sandbox.requests[0]).toMatchObject({ status: 'dropped', fault: 'drop' });
    // The next request is served normally.
    expect((await clientFor(sandbox).get('/agents', { account_id: 1000 })).httpStatus).toBe(200);
  });

  it('a dropped write is applied first or not at all: the outcome is really unknown to the client', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    sandbox.failNext('drop-after-write');
    sandbox.failNext('drop-before-write');
    await expect(postAgent(sandbox.baseUrl, 'aplicado@acme.com.br')).rejects.toThrow();
    await expect(postAgent(sandbox.baseUrl, 'perdido@acme.com.br')).rejects.toThrow();
    expect(agentEmails(sandbox.data())).toContain('aplicado@acme.com.br');
    expect(agentEmails(sandbox.data())).not.toContain('perdido@acme.com.br');
    expect(sandbox.requests.map((request) => request.applied)).toEqual([true, false]);
  });

  it('slow: the normal answer after slowMs; a client that gives up earlier cannot know the write landed', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, slowMs: 400 });
    sandbox.failNext('slow', 2);
    const started = performance.now();
    const response = await postAgent(sandbox.baseUrl, 'lento@acme.com.br');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect((await jsonOf(response)).success).toBe(true);
    await expect(
      postAgent(sandbox.baseUrl, 'desistiu@acme.com.br', AbortSignal.timeout(50)),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(agentEmails(sandbox.data())).toContain('desistiu@acme.com.br');
    expect(sandbox.requests.map((request) => request.fault)).toEqual(['slow', 'slow']);
  });

  it('failRate picks faults with the given random source: the same seed gives the same faults', async () => {
    const faultsOf = async (seed: number) => {
      const sandbox = await sandboxFor({
        seed: WORLD,
        failRate: 0.5,
        faultKinds: ['server-error'],
        random: seededRandom(seed),
      });
      for (let index = 0; index < 20; index += 1) {
        await fetch(`${sandbox.baseUrl}/departments?token=${TOKEN}&account_id=1000`).then((response) =>
          response.text(),
        );
      }
      return sandbox.requests.map((request) => request.status);
    };
    const first = await faultsOf(7);
    expect(await faultsOf(7)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('failRate 1 faults every request with the kinds given; setFailRate(0) stops it', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, failRate: 1, faultKinds: ['drop'] });
    await expect(fetch(`${sandbox.baseUrl}/agents?token=${TOKEN}&account_id=1000`)).rejects.toThrow();
    await expect(fetch(`${sandbox.baseUrl}/agents?token=${TOKEN}&account_id=1000`)).rejects.toThrow();
    sandbox.setFailRate(0);
    expect((await clientFor(sandbox).get('/agents', { account_id: 1000 })).httpStatus).toBe(200);
    expect(() => sandbox.setFailRate(1.5)).toThrow(RangeError);
  });

  it('latencyMs delays every answer', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, latencyMs: 150 });
    const started = performance.now();
    expect((await clientFor(sandbox).get('/agents', { account_id: 1000 })).httpStatus).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stop() does not wait for a slow answer in flight', async () => {
    const sandbox = await sandboxFor({ seed: WORLD, slowMs: 60_000 });
    sandbox.failNext('slow');
    const pending = fetch(`${sandbox.baseUrl}/agents?token=${TOKEN}&account_id=1000`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox.stop();
    await expect(pending).rejects.toThrow();
  });
});
