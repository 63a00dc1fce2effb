import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OmnizeClient } from '../../src/omnize/client.js';
import { TransientApiError } from '../../src/omnize/errors.js';
import { rejectionOf } from './capture.js';
import { DOCUMENTED_AGENT } from './documented-answers.js';

// No nock here: these tests are about what really goes over a socket.

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A server that answers every request with `body`, remembering the raw header names and values. */
async function recordingServer(body: Buffer, headers: Record<string, string> = {}) {
  const seen: { method: string; rawHeaders: string[]; body: string }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method!,
        rawHeaders: request.rawHeaders,
        body: Buffer.concat(chunks).toString(),
      });
      response.writeHead(200, { 'content-type': 'application/json', ...headers });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 100;
  const host = await listen(server);
  closers.push(async () => server.closeAllConnections());
  return { host, seen };
}

const EMPTY_LIST = Buffer.from('{"status":200,"success":true,"data":[]}');

function clientOf(host: string, extra: Partial<ConstructorParameters<typeof OmnizeClient>[0]> = {}) {
  return new OmnizeClient({
    baseUrl: `http://${host}/api/v1`,
    authUrl: `https://${host}/authentication`,
    token: 'http-send-token',
    timeoutMs: 2_000,
    ...extra,
  });
}

const headerNames = (raw: string[]) =>
  raw.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
const headerValues = (raw: string[]) =>
  Object.fromEntries(
    raw.flatMap((value, index) => (index % 2 === 0 ? [[value.toLowerCase(), raw[index + 1]]] : [])),
  );

describe('requests over node:http', () => {
  it('carry the headers and body fetch sent, over a connection kept open', async () => {
    const { host, seen } = await recordingServer(EMPTY_LIST);
    const overHttp = clientOf(host);
    await overHttp.listAgents(1);
    await overHttp.deleteAccount(7);
    await clientOf(host, { fetch: globalThis.fetch }).deleteAccount(7);
    const [get, deleted, byFetch] = seen;
    expect(headerValues(deleted!.rawHeaders)).toEqual(headerValues(byFetch!.rawHeaders));
    // Only the order differs: node:http names the host and the connection last.
    expect(headerNames(get!.rawHeaders).sort()).toEqual(
      headerNames(byFetch!.rawHeaders)
        .filter((name) => name !== 'content-length')
        .sort(),
    );
    expect(deleted!.body).toBe(byFetch!.body);
    expect(headerValues(get!.rawHeaders).connection).toBe('keep-alive');
  });

  it('read an answer the server compressed, as fetch did', async () => {
    const { host } = await recordingServer(gzipSync(EMPTY_LIST), { 'content-encoding': 'gzip' });
    await expect(clientOf(host).listAgents(1)).resolves.toEqual([]);
  });

  it('read a list answer as it arrives, cut anywhere, as the same answer sent whole', async () => {
    const agents = [1, 2, 3].map((id) => ({ ...DOCUMENTED_AGENT, id, name: `João ${id} Conceição` }));
    const text = Buffer.from(JSON.stringify({ status: 200, success: true, data: agents }));
    const whole = await clientOf((await recordingServer(text)).host).listAgents(1);
    expect(whole.map((agent) => agent.name)).toEqual(agents.map((agent) => agent.name));
    // Pieces of 7 bytes cut strings, numbers and the two bytes of each "ã" apart.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      let offset = 0;
      const next = () => {
        if (offset >= text.length) return void response.end();
        response.write(text.subarray(offset, offset + 7));
        offset += 7;
        setImmediate(next);
      };
      next();
    });
    const host = await listen(server);
    closers.push(async () => server.closeAllConnections());
    await expect(clientOf(host).listAgents(1)).resolves.toEqual(whole);
    const compressed = await recordingServer(gzipSync(text), { 'content-encoding': 'gzip' });
    await expect(clientOf(compressed.host).listAgents(1)).resolves.toEqual(whole);
    await expect(clientOf(host, { fetch: globalThis.fetch }).listAgents(1)).resolves.toEqual(whole);
  });

  it('take a list answer that is not JSON as a protocol error, not a network one', async () => {
    const { host } = await recordingServer(Buffer.from('{"status":200,"success":true,"data":[{"id":1},'));
    const error = await rejectionOf(clientOf(host).listAgents(1));
    expect((error as Error).message).toMatch(/not JSON/);
    expect(error).not.toBeInstanceOf(TransientApiError);
  });

  it('take a connection that never finished its handshake as surely not sent', async () => {
    // A TCP server that reads and never speaks TLS: the https handshake never ends.
    const silent = createTcpServer((socket) => socket.resume());
    const host = await listen(silent);
    closers.push(async () => silent.close());
    const client = clientOf(host, { timeoutMs: 200 });
    const error = await rejectionOf(client.requestLoginToken('ana@acme.example'));
    expect(error).toBeInstanceOf(TransientApiError);
    expect(error).toMatchObject({ cause: 'network', outcomeUnknown: false });
  });
});
