import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROMTOOL, PUSHGATEWAY, runsHere } from '../real-tools.js';
import { createDemoWorld, type World, writesOf } from './harness.js';
import { type RunningPushgateway, sampleValue, startPushgateway } from './pushgateway.js';

/**
 * CONTRACT §13 end to end: the real CLI against the sandbox, a real Pushgateway, a local HTTP
 * receiver for the alerts, and `history` reading back what the state store kept.
 */

const APPLY = ['apply', 'demo', '--yes', '--rate', '50'];
/** The sandbox refuses this token ("Invalid token"): the run fails with exit 1 after its first GET. */
const BAD_TOKEN = { OMNIZE_TOKEN: 'not-the-partner-token' };

interface HistoryRun {
  command: string;
  status: string;
  exitCode: number | null;
  actions: Record<string, number>;
  requests: { read: number | null; write: number | null };
  reportFolder: string | null;
}

async function history(world: World, args: string[] = []): Promise<HistoryRun[]> {
  const run = await world.cli(['history', '--json', ...args]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as HistoryRun[];
}

async function waitForFirstWrite(world: World): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (writesOf(world.sandbox).length < 1) {
    if (Date.now() > deadline) throw new Error('no write arrived in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A local receiver standing in for a Slack incoming webhook: keeps every POSTed body. */
async function startReceiver(): Promise<{ url: string; bodies: Record<string, unknown>[]; server: Server }> {
  const bodies: Record<string, unknown>[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T0/B0/notify-secret-path`, bodies, server };
}

describe('run history (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('lists every plan and apply, newest first, failures and refusals included, with no request', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo'])).code).toBe(0);
    expect((await world.cli(APPLY, { env: BAD_TOKEN })).code).toBe(1);
    expect((await world.cli(APPLY)).code).toBe(0);
    expect((await world.cli(['apply', 'missing-folder', '--yes'])).code).toBe(1);
    const requestsBefore = world.sandbox.requests.length;
    const runs = await history(world);
    expect(world.sandbox.requests.length).toBe(requestsBefore);
    expect(runs.map((run) => [run.command, run.status, run.exitCode])).toEqual([
      ['apply', 'finished', 1],
      ['apply', 'finished', 0],
      ['apply', 'finished', 1],
      ['plan', 'finished', 0],
    ]);
    const applied = runs[1]!;
    expect(applied.actions.ok).toBe(23);
    expect(applied.requests.write).toBe(writesOf(world.sandbox).length);
    expect(applied.reportFolder).toBe(join(world.reportDir, readdirSync(world.reportDir).sort().at(-1)!));
    expect(runs[3]?.actions.planned).toBe(23);
    expect((await history(world, ['--last', '2'])).map((run) => run.exitCode)).toEqual([1, 0]);
    const table = await world.cli(['history']);
    expect(table.stdout.split('\n')[0]).toMatch(/^started \(UTC\)\s+command\s+duration\s+exit\s+ok\s+failed/);
    expect(table.stdout.split('\n')[2]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+apply\s+\d+\.\ds\s+0\s+23\s+0/,
    );
  });

  it('shows a run killed with kill -9 as died, and the next run finishes', async () => {
    world = await createDemoWorld({ latencyMs: 200 });
    const { child, done } = world.spawnCli(['apply', 'demo', '--yes', '--rate', '2', '--concurrency', '1']);
    child.stdin?.end();
    await waitForFirstWrite(world);
    child.kill('SIGKILL');
    await done;
    expect((await history(world)).map((run) => [run.command, run.status, run.exitCode])).toEqual([
      ['apply', 'died', null],
    ]);
    expect((await world.cli(['history'])).stdout).toMatch(/\sapply\s+-\s+died\s/);
    expect((await world.cli(APPLY)).code).toBe(0);
    expect((await history(world)).map((run) => [run.status, run.exitCode])).toEqual([
      ['finished', 0],
      ['died', null],
    ]);
  });

  it('records an apply stopped by SIGTERM with its exit code 143 and its report folder', async () => {
    world = await createDemoWorld({ latencyMs: 200 });
    const { child, done } = world.spawnCli(['apply', 'demo', '--yes', '--rate', '2', '--concurrency', '1']);
    child.stdin?.end();
    await waitForFirstWrite(world);
    child.kill('SIGTERM');
    expect((await done).code).toBe(143);
    const [stopped] = await history(world);
    expect(stopped).toMatchObject({ command: 'apply', status: 'finished', exitCode: 143 });
    expect(stopped?.reportFolder).toBe(world.reports().at(-1));
  });

  it('refuses a --last that is not a whole number, naming the flag', async () => {
    world = await createDemoWorld();
    const run = await world.cli(['history', '--last', 'abc']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('omnize-sync: --last abc: must be a whole number of runs, 1 or more\n');
  });
});

describe('metrics (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it.runIf(runsHere(PROMTOOL))('writes a metrics file promtool accepts, for guard stops too', async () => {
    world = await createDemoWorld();
    const metrics = join(world.dir, 'textfile', 'omnize_sync.prom');
    spawnSync('mkdir', ['-p', join(world.dir, 'textfile')]);
    expect((await world.cli([...APPLY, '--metrics-file', metrics])).code).toBe(0);
    const departments = join(world.dir, 'demo', 'departments.csv');
    writeFileSync(
      departments,
      readFileSync(departments, 'utf8').replace('Entregas no bairro;active', 'Entregas no bairro;inactive'),
    );
    const guarded = await world.cli([...APPLY, '--max-deactivations', '0', '--metrics-file', metrics]);
    expect(guarded.code).toBe(4);
    const text = readFileSync(metrics, 'utf8');
    expect(text).toContain('omnize_sync_last_run_exit_code{command="apply"} 4');
    expect(readdirSync(join(world.dir, 'textfile'))).toEqual(['omnize_sync.prom']);
    const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(checked.status).toBe(0);
  });

  it('the metrics file check warns once, before the first request, of a folder that does not exist: plan and apply exit 0 and write their reports', async () => {
    world = await createDemoWorld();
    const warning =
      '--metrics-file no/such/folder/m.prom: cannot write it (its folder does not exist); the metrics will not be written, the exit code is not affected';
    for (const args of [['plan', 'demo'], APPLY]) {
      const reportsBefore = world.reports().length;
      const run = await world.cli([
        ...args,
        '--metrics-file',
        'no/such/folder/m.prom',
        '--log-level',
        'debug',
      ]);
      expect(run.code).toBe(0);
      const logs = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      expect(logs.filter((log) => log.level >= 40)).toEqual([expect.objectContaining({ msg: warning })]);
      const firstRequest = logs.findIndex((log) => log.msg === 'partner api request');
      expect(firstRequest).toBeGreaterThan(0);
      expect(logs.findIndex((log) => log.msg === warning)).toBeLessThan(firstRequest);
      expect(world.reports()).toHaveLength(reportsBefore + 1);
    }
    expect(existsSync(join(world.dir, 'no'))).toBe(false);
    expect((await history(world)).map((run) => [run.command, run.exitCode])).toEqual([
      ['apply', 0],
      ['plan', 0],
    ]);
  });

  it('keeps the exit code when the Pushgateway refuses the push, with a warning', async () => {
    world = await createDemoWorld();
    const run = await world.cli([...APPLY, '--pushgateway-url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Pushgateway push failed: .*ECONNREFUSED.*the exit code is not affected/);
  });
});

describe.runIf(runsHere(PUSHGATEWAY))('the Pushgateway (end to end, Debian prometheus-pushgateway)', () => {
  let world: World;
  let gateway: RunningPushgateway;
  afterEach(async () => {
    await world?.close();
    await gateway?.stop();
  });

  it('holds a failed apply, then a successful one, as the gateway serves them to Prometheus', async () => {
    gateway = await startPushgateway();
    world = await createDemoWorld();
    const push = ['--pushgateway-url', gateway.url];
    const apply = { command: 'apply', job: 'omnize_sync' };

    expect((await world.cli([...APPLY, ...push], { env: BAD_TOKEN })).code).toBe(1);
    let scrape = await gateway.scrape();
    expect(sampleValue(scrape, 'omnize_sync_last_run_exit_code', apply)).toBe(1);
    expect(sampleValue(scrape, 'omnize_sync_last_success_timestamp_seconds', apply)).toBeUndefined();
    const failedAt = sampleValue(scrape, 'omnize_sync_last_run_timestamp_seconds', apply)!;

    expect((await world.cli([...APPLY, ...push])).code).toBe(0);
    scrape = await gateway.scrape();
    expect(sampleValue(scrape, 'omnize_sync_last_run_exit_code', apply)).toBe(0);
    const succeededAt = sampleValue(scrape, 'omnize_sync_last_success_timestamp_seconds', apply)!;
    expect(succeededAt).toBeGreaterThan(failedAt);
    expect(sampleValue(scrape, 'omnize_sync_last_run_timestamp_seconds', apply)).toBe(succeededAt);
    expect(
      sampleValue(scrape, 'omnize_sync_last_run_actions', { ...apply, kind: 'agent.create', outcome: 'ok' }),
    ).toBe(3);
    expect(sampleValue(scrape, 'omnize_sync_last_run_requests', { ...apply, type: 'write' })).toBe(
      writesOf(world.sandbox).length,
    );
    expect(sampleValue(scrape, 'omnize_sync_last_run_drift_changes', apply)).toBe(0);

    // A failure after the success leaves the last success where it was.
    expect((await world.cli([...APPLY, ...push], { env: BAD_TOKEN })).code).toBe(1);
    scrape = await gateway.scrape();
    expect(sampleValue(scrape, 'omnize_sync_last_run_exit_code', apply)).toBe(1);
    expect(sampleValue(scrape, 'omnize_sync_last_success_timestamp_seconds', apply)).toBe(succeededAt);
  });
});

describe('alerts (end to end, a local HTTP receiver)', () => {
  let world: World;
  let server: Server | undefined;
  afterEach(async () => {
    await world?.close();
    server?.closeAllConnections();
    await new Promise((done) => (server === undefined ? done(undefined) : server.close(done)));
  });

  it('sends exactly two messages over ok → failing → failing → recovered, then one per guard stop, and the URL stays secret', async () => {
    const receiver = await startReceiver();
    server = receiver.server;
    world = await createDemoWorld();
    const notify = { OMNIZE_NOTIFY_URL: receiver.url };
    const codes: (number | null)[] = [];
    codes.push((await world.cli(APPLY, { env: notify })).code);
    codes.push((await world.cli(APPLY, { env: { ...notify, ...BAD_TOKEN } })).code);
    codes.push((await world.cli(APPLY, { env: { ...notify, ...BAD_TOKEN } })).code);
    const recovered = await world.cli(APPLY, { env: notify });
    codes.push(recovered.code);
    expect(codes).toEqual([0, 1, 1, 0]);
    expect(receiver.bodies.map((body) => [body.status, body.exit_code])).toEqual([
      ['failing', 1],
      ['recovered', 0],
    ]);
    expect(Object.keys(receiver.bodies[0]!).sort()).toEqual([
      'command',
      'counts',
      'exit_code',
      'report',
      'status',
      'text',
    ]);
    expect(receiver.bodies[1]).toMatchObject({ command: 'apply', counts: { ok: 0, failed: 0 } });

    const departments = join(world.dir, 'demo', 'departments.csv');
    writeFileSync(
      departments,
      readFileSync(departments, 'utf8').replace('Entregas no bairro;active', 'Entregas no bairro;inactive'),
    );
    const guard = [...APPLY, '--max-deactivations', '0'];
    const stops = [await world.cli(guard, { env: notify }), await world.cli(guard, { env: notify })];
    expect(stops.map((stop) => stop.code)).toEqual([4, 4]);
    expect(receiver.bodies.slice(2).map((body) => [body.status, body.exit_code])).toEqual([
      ['failing', 4],
      ['failing', 4],
    ]);
    expect(String(receiver.bodies[2]?.text)).toContain('was stopped by the safety guard');

    const secret = 'notify-secret-path';
    for (const run of [recovered, ...stops]) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(readFileSync(world.statePath).includes(secret)).toBe(false);
    for (const folder of world.reports()) {
      for (const file of readdirSync(folder))
        expect(readFileSync(join(folder, file)).includes(secret)).toBe(false);
    }
  });

  it('keeps the exit code when the receiver is not there, with a warning that hides the URL', async () => {
    world = await createDemoWorld();
    const run = await world.cli(APPLY, {
      env: { ...BAD_TOKEN, OMNIZE_NOTIFY_URL: 'http://127.0.0.1:9/services/T0/B0/notify-secret-path' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/notification failed: no answer after 3 attempts/);
    expect(run.stderr).not.toContain('notify-secret-path');
  });
});
