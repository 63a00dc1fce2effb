import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OmnizeClient } from '../../src/omnize/client.js';
import { TransientApiError } from '../../src/omnize/errors.js';
import { rejectionOf } from './capture.js';

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
