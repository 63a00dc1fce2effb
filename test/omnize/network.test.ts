import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OmnizeClient } from '../../src/omnize/client.js';
import { ApiProtocolError, TransientApiError } from '../../src/omnize/errors.js';
import { sha256Hex } from '../../src/omnize/password.js';
import type { RequestRecord } from '../../src/omnize/transport.js';
import type { OmnizeClientOptions } from '../../src/omnize/types.js';
import { capturingLogger, rejectionOf } from './capture.js';

/**
 * Failures nock cannot fake for fetch (its `.delay()` never trips an
 * AbortSignal, and `replyWithError` loses the cause): a real server on
 * loopback that misbehaves on purpose, one path per misbehaviour.
 * This file does not load nock, so fetch is the real one.
 */

const TOKEN = 'network-test-token';
let server: Server;
let origin: string;

/** The first path segment picks the misbehaviour: `/never/api/v1/agents` is never answered. */
function misbehave(request: IncomingMessage, response: ServerResponse): void {
  const behaviour = request.url?.split('/')[1] ?? '';
  if (behaviour === 'never') return;
  if (behaviour === 'reset') {
    request.socket.destroy();
    return;
  }
  if (behaviour === 'half') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    response.write('{"status":200,"succ');
    setTimeout(() => request.socket.destroy(), 20);
    return;
  }
  if (behaviour === 'redirect') {
    response.writeHead(301, { location: `https://partner.example${request.url?.slice('/redirect'.length)}` });
    response.end();
    return;
  }
  if (behaviour === 'stall') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"status":200,');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"status":200,"success":true,"data":[]}');
}

beforeAll(async () => {
  server = createServer(misbehave);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A client whose every request meets `behaviour`, with a short timeout. */
function client(behaviour: string, extra: Partial<OmnizeClientOptions> = {}): OmnizeClient {
  const base = `${origin}/${behaviour}`;
  return new OmnizeClient({
    baseUrl: `${base}/api/v1`,
    authUrl: `${base}/authentication`,
    token: TOKEN,
    timeoutMs: 250,
    ...extra,
  });
}

async function transientFailure(promise: Promise<unknown>): Promise<TransientApiError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(TransientApiError);
  return error as TransientApiError;
}

describe('timeouts', () => {
  it('a read that is never answered times out: transient, outcome unknown', async () => {
    expect(await transientFailure(client('never').listAgents(1))).toMatchObject({
      cause: 'timeout',
      outcomeUnknown: true,
    });
  });

  it('a write that is never answered times out with an unknown outcome', async () => {
    const agent = { accountId: 1, email: 'a@example.com', name: 'A', passwordSha256: sha256Hex('x') };
    expect(await transientFailure(client('never').createAgent(agent))).toMatchObject({
      cause: 'timeout',
      outcomeUnknown: true,
    });
  });

  it('an answer whose body stalls times out too', async () => {
    expect(await transientFailure(client('stall').requestLoginToken('a@example.com'))).toMatchObject({
      cause: 'timeout',
      outcomeUnknown: true,
    });
  });

  it('a list answer read as it arrives (the agents) times out alike when its body stalls', async () => {
    expect(await transientFailure(client('stall').listAgents(1))).toMatchObject({
      cause: 'timeout',
      outcomeUnknown: true,
    });
  });
});

describe('network failures', () => {
  it('a refused connection is transient and surely did not reach the API', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = new OmnizeClient({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      authUrl: `http://127.0.0.1:${port}/authentication`,
      token: TOKEN,
      timeoutMs: 2_000,
    });
    const error = await transientFailure(refused.deleteAccount(4931));
    expect(error).toMatchObject({ cause: 'network', outcomeUnknown: false });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('a connection reset after the request was sent leaves the outcome unknown', async () => {
    const error = await transientFailure(client('reset', { timeoutMs: 2_000 }).deactivateAccount(4931));
    expect(error).toMatchObject({ cause: 'network', outcomeUnknown: true });
  });

  it.each([
    ['a whole answer', (reader: OmnizeClient) => reader.listDepartments(1)],
    ['a list answer read as it arrives', (reader: OmnizeClient) => reader.listDepartmentAgents(1)],
  ])('a connection dropped in the middle of %s leaves the outcome unknown', async (_case, read) => {
    const error = await transientFailure(read(client('half', { timeoutMs: 2_000 })));
    expect(error).toMatchObject({ cause: 'network', outcomeUnknown: true });
  });
});

describe('redirects', () => {
  it('are not followed: a redirect is a protocol error naming the target without its query', async () => {
    const error = await rejectionOf(client('redirect').listAgents(1));
    expect(error).toBeInstanceOf(ApiProtocolError);
    expect(error).toMatchObject({ httpStatus: 301, outcomeUnknown: false });
    expect(error.message).toContain('redirected to https://partner.example/api/v1/agents;');
    expect(error.message).not.toContain(TOKEN);
  });
});

describe('what the client reports of each request', () => {
  it('calls onRequest once per request with a record that holds no token', async () => {
    const records: RequestRecord[] = [];
    const reporting = client('ok', { onRequest: (record) => records.push(record) });
    await reporting.listAgents(3373);
    await rejectionOf(
      client('never', { onRequest: (record) => records.push(record) }).listDepartmentAgents(9),
    );
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      method: 'GET',
      path: '/ok/api/v1/agents?account_id=3373',
      outcome: 'ok',
    });
    expect(records[1]).toMatchObject({
      method: 'GET',
      path: '/never/api/v1/departments/9/agents',
      outcome: 'TransientApiError:timeout',
    });
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it('warns once about plain http to a host off this machine, however many requests go there', async () => {
    const log = capturingLogger();
    const answer = () =>
      new Response('{"status":200,"success":true,"data":[]}', {
        headers: { 'content-type': 'application/json' },
      });
    const remote = new OmnizeClient({
      baseUrl: 'http://partner.example.test/api/v1',
      authUrl: 'http://partner.example.test/authentication',
      token: TOKEN,
      timeoutMs: 250,
      logger: log.logger,
      fetch: async () => answer(),
    });
    await remote.listAgents(1);
    await remote.listAgents(2);
    await remote.listDepartments(1);
    const warnings = log.lines().filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('plain http to partner.example.test');
    expect(JSON.stringify(log.lines())).not.toContain(TOKEN);
  });

  it('does not warn about plain http on loopback', async () => {
    const log = capturingLogger();
    await client('ok', { logger: log.logger }).listAgents(1);
    expect(log.lines().filter((line) => line.level === 40)).toHaveLength(0);
    expect(log.lines().filter((line) => line.level === 20)).toHaveLength(1);
  });
});
