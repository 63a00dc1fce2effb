import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeFailure, sendOverHttp } from '../../src/omnize/http-send.js';

/**
 * https goes through node:https, loaded at the first https request: a real TLS server on loopback
 * with a certificate made for the test (openssl), which the client, trusting only the usual
 * authorities, refuses before anything is sent.
 */
let server: Server;
let folder: string;
let port: number;
const received: string[] = [];

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'omnize-https-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      join(folder, 'key.pem'),
      '-out',
      join(folder, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  server = createServer(
    { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) },
    (request, response) => {
      received.push(request.url ?? '');
      response.end('{"status":200,"success":true,"data":[]}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

describe('a request to an https URL', () => {
  it('is made over TLS, and refused before anything is sent when the certificate is not trusted', async () => {
    const failure = await sendOverHttp({
      method: 'GET',
      url: new URL(`https://127.0.0.1:${port}/api/v1/agents?account_id=1`),
      headers: { accept: 'application/json' },
      body: null,
      timeoutMs: 5_000,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExchangeFailure);
    expect((failure as ExchangeFailure).phase).toBe('before-answer');
    expect((failure as ExchangeFailure).cause).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(received).toEqual([]);
  });
});
