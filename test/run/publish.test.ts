import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { latestPerCommand, metricsRegistry } from '../../src/run/metrics.js';
import { publishRun, sendNotification, writeMetricsFile } from '../../src/run/publish.js';
import type { RunEntry } from '../../src/state/index.js';

const folders: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'omnize-publish-'));
  folders.push(folder);
  return folder;
}

/** A logger writing JSON lines to a string. */
function capturingLogger() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { logger: createLogger({ level: 'info', format: 'json', destination: stream }), output: () => text };
}

/** A local HTTP receiver: `answer` decides each request's fate. */
async function receiver(answer: (request: IncomingMessage, body: string) => number | 'hang') {
  const received: { method: string; url: string; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', body });
      const status = answer(request, body);
      if (status !== 'hang') response.writeHead(status).end('{}');
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A port nothing listens on: a server started and closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

const RUN: RunEntry = {
  id: 1,
  runId: 'run-1',
  command: 'apply',
  status: 'finished',
  host: 'h',
  pid: 1,
  pidScope: 's',
  startedAt: '2026-12-02T02:30:00.000Z',
  finishedAt: '2026-12-02T02:31:00.000Z',
  exitCode: 3,
  ending: 'applied',
  counts: { 'agent.create': { ok: 1, failed: 1 } },
  readRequests: 2,
  writeRequests: 2,
  retries: 0,
  driftChanges: 0,
  reportFolder: 'reports/r',
  scope: null,
  notifiedAt: null,
};

const MESSAGE = {
  text: 't',
  status: 'failing' as const,
  command: 'apply' as const,
  exit_code: 3,
  counts: {},
  report: null,
};

describe('the metrics file', () => {
  it('is written whole through a temporary file in its own folder, which is gone afterwards', async () => {
    const folder = tempFolder();
    const path = join(folder, 'omnize_sync.prom');
    writeFileSync(path, 'old contents\n');
    await writeMetricsFile(path, metricsRegistry(latestPerCommand([RUN])));
    expect(readFileSync(path, 'utf8')).toContain('omnize_sync_last_run_exit_code{command="apply"} 3');
    expect(readdirSync(folder)).toEqual(['omnize_sync.prom']);
  });

  it('that cannot be written is a warning, and publishing goes on to the notification', async () => {
    const { url, received } = await receiver(() => 200);
    const { logger, output } = capturingLogger();
    const folder = tempFolder();
    await publishRun(
      undefined,
      RUN,
      { cwd: folder, metricsFile: 'missing/folder/m.prom', notifyUrl: url },
      logger,
    );
    expect(output()).toMatch(/"level":40.*metrics file failed: ENOENT.*the exit code is not affected/);
    expect(received).toHaveLength(1);
  });
});

describe('a push to the Pushgateway', () => {
  it('PUTs the metrics to URL/metrics/job/omnize_sync', async () => {
    const { url, received } = await receiver(() => 200);
    const { logger, output } = capturingLogger();
    await publishRun(undefined, RUN, { cwd: tempFolder(), pushgatewayUrl: `${url}/` }, logger);
    expect(received.map((request) => [request.method, request.url])).toEqual([
      ['PUT', '/metrics/job/omnize_sync'],
    ]);
    expect(received[0]?.body).toContain('# TYPE omnize_sync_last_run_exit_code gauge');
    expect(output()).not.toContain('"level":40');
  });

  it('that is refused (nothing listening) is a warning, not an error', async () => {
    const { logger, output } = capturingLogger();
    await expect(
      publishRun(undefined, RUN, { cwd: tempFolder(), pushgatewayUrl: await closedPort() }, logger),
    ).resolves.toBeUndefined();
    expect(output()).toMatch(/Pushgateway push failed: .*ECONNREFUSED.*the exit code is not affected/);
  });

  it('answered with an error status is a warning naming the status', async () => {
    const { url } = await receiver(() => 400);
    const { logger, output } = capturingLogger();
    await publishRun(undefined, RUN, { cwd: tempFolder(), pushgatewayUrl: url }, logger);
    expect(output()).toMatch(/Pushgateway push failed: push failed with status 400/);
  });
});

describe('a notification', () => {
  it('is POSTed as the JSON of CONTRACT §13', async () => {
    const { url, received } = await receiver(() => 200);
    const { logger } = capturingLogger();
    await publishRun(undefined, RUN, { cwd: tempFolder(), notifyUrl: `${url}/hook` }, logger);
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe('POST');
    expect(received[0]?.url).toBe('/hook');
    expect(JSON.parse(received[0]!.body)).toMatchObject({
      status: 'failing',
      command: 'apply',
      exit_code: 3,
      report: 'reports/r',
    });
  });

  it('is tried twice more when the receiver answers 500, then given up with a warning', async () => {
    const { url, received } = await receiver(() => 500);
    await expect(sendNotification(url, MESSAGE, { retryDelayMs: 5 })).rejects.toThrow(
      /no answer after 3 attempts: HTTP 500/,
    );
    expect(received).toHaveLength(3);
  });

  it('succeeds on a retry after one failure', async () => {
    let calls = 0;
    const { url, received } = await receiver(() => (++calls === 1 ? 503 : 204));
    await sendNotification(url, MESSAGE, { retryDelayMs: 5 });
    expect(received).toHaveLength(2);
  });

  it('to a receiver that never answers times out on each of its three attempts', async () => {
    const { url, received } = await receiver(() => 'hang');
    const secretUrl = `${url}/services/T0000/B0000/webhook-secret-part`;
    await expect(sendNotification(secretUrl, MESSAGE, { timeoutMs: 150, retryDelayMs: 5 })).rejects.toThrow(
      /no answer after 3 attempts: .*timeout/i,
    );
    expect(received).toHaveLength(3);
  });

  it('that fails leaves publishing resolved, with a warning that does not contain the URL', async () => {
    const base = await closedPort();
    const secretUrl = `${base}/services/T0000/B0000/webhook-secret-part`;
    const { logger, output } = capturingLogger();
    await expect(
      publishRun(undefined, RUN, { cwd: tempFolder(), notifyUrl: secretUrl }, logger),
    ).resolves.toBeUndefined();
    expect(output()).toMatch(/notification failed: no answer after 3 attempts/);
    expect(output()).not.toContain('webhook-secret-part');
  }, 15_000);
});
