import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PREFIX, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { type CliRun, createWorld, TOKEN, type World, writesOf } from './harness.js';
import { writeRoster } from './roster.js';

/**
 * `plan` takes the run lock as `apply` does (CONTRACT §6, §16), through the built CLI against the
 * sandbox: refused while an apply holds it, without a request; holding it itself while it reads;
 * taking over the lock of a plan or an apply killed with kill -9; freeing it on SIGINT.
 */
const ACCOUNTS = [1, 2].map((n) => ({ id: 5000 + n, email: `l${n}@x.com.br`, main_contact: 'Dona' }));
const ROSTER = {
  accounts: [1, 2].map((n) => ({ key: `conta${n}`, accountId: 5000 + n })),
  departmentsPerAccount: 2,
  agentsPerAccount: 40,
};
/** Slow enough to be caught mid-run: about 10 s of writes at this rate. */
const SLOW_APPLY = ['apply', 'roster', '--yes', '--rate', '10', '--concurrency', '4'];
/** With the sandbox's latency, its 5 requests (authentication, 2 GETs per account) one at a time take ~7 s. */
const SLOW_PLAN = ['plan', 'roster', '--concurrency', '1'];
const PLAN_LATENCY_MS = 1_500;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function rosterWorld(latencyMs = 0): Promise<World> {
  const world = await createWorld({ seed: { accounts: ACCOUNTS }, latencyMs });
  writeRoster(join(world.dir, 'roster'), ROSTER);
  return world;
}

/** A slow plan, once the sandbox has seen its first read: it holds the lock and is reading. */
async function startReadingPlan(world: World) {
  const plan = world.spawnCli(SLOW_PLAN);
  plan.child.stdin?.end();
  await until(() => world.sandbox.requests.some((request) => request.path.startsWith(API_PREFIX)), 'a read');
  return plan;
}

function statuses(run: CliRun): [string, string, number | null][] {
  return (JSON.parse(run.stdout) as { command: string; status: string; exitCode: number | null }[]).map(
    (entry) => [entry.command, entry.status, entry.exitCode],
  );
}

describe('plan under the run lock (end to end)', () => {
  let world: World;
  let elsewhere: RunningSandbox | undefined;
  afterEach(async () => {
    await elsewhere?.stop();
    elsewhere = undefined;
    await world?.close();
  });

  it('a plan while an apply runs exits 1 naming it and sends no request; after the apply a plan runs', async () => {
    world = await rosterWorld();
    const apply = world.spawnCli(SLOW_APPLY);
    apply.child.stdin?.end();
    await until(() => writesOf(world.sandbox).length >= 3, 'the first writes');
    // The refused plan talks to a sandbox of its own, so any request of its would be seen there.
    elsewhere = await startSandbox({ port: 0, token: TOKEN, seed: { accounts: ACCOUNTS } });
    const refused = await world.cli(['plan', 'roster', '--json'], {
      env: { OMNIZE_BASE_URL: elsewhere.baseUrl, OMNIZE_AUTH_URL: elsewhere.authUrl },
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(
        `^omnize-sync: the state store .* is in use by another run \\(apply\\): host ${hostname()}, pid ${apply.child.pid}, since \\d{4}-\\d\\d-\\d\\dT[^ ]+ \\(last heartbeat`,
      ),
    );
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(elsewhere.requests).toEqual([]);

    expect((await apply.done).code).toBe(0);
    const before = world.sandbox.requests.length;
    const plan = await world.cli(['plan', 'roster', '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plan.stderr).not.toMatch(/took over/);
    expect(plan.stdout).toBe('No changes. The live state matches the manifest.\n');
    const planRequests = world.sandbox.requests.slice(before);
    const apiRequests = planRequests.filter((request) => request.path.startsWith(API_PREFIX));
    expect(apiRequests.length).toBeGreaterThan(0);
    expect(apiRequests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(statuses(await world.cli(['history', '--json']))).toEqual([
      ['plan', 'finished', 0],
      ['plan', 'finished', 1],
      ['apply', 'finished', 0],
    ]);
  }, 60_000);

  it('an apply while a plan reads exits 1 naming the plan; killed with kill -9, the next plan takes over its lock', async () => {
    world = await rosterWorld(PLAN_LATENCY_MS);
    const plan = await startReadingPlan(world);
    const writesBefore = writesOf(world.sandbox).length;
    const apply = await world.cli(['apply', 'roster', '--yes']);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain(
      `in use by another run (plan): host ${hostname()}, pid ${plan.child.pid}, since `,
    );
    expect(writesOf(world.sandbox)).toHaveLength(writesBefore);

    plan.child.kill('SIGKILL');
    await plan.done;
    world.sandbox.setLatency(0);
    const next = await world.cli(['plan', 'roster']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(
      `took over the state store lock of a run that is no longer alive (plan: host ${hostname()}, pid ${plan.child.pid}`,
    );
    expect(statuses(await world.cli(['history', '--json']))).toEqual([
      ['plan', 'finished', 0],
      ['apply', 'finished', 1],
      ['plan', 'died', null],
    ]);
  }, 60_000);

  it('a plan takes over the lock of an apply killed with kill -9, with a warning, and changes nothing', async () => {
    world = await rosterWorld();
    const apply = world.spawnCli(SLOW_APPLY);
    apply.child.stdin?.end();
    await until(() => writesOf(world.sandbox).length >= 10, 'ten writes');
    apply.child.kill('SIGKILL');
    await apply.done;
    const writes = writesOf(world.sandbox).length;
    const plan = await world.cli(['plan', 'roster', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain(
      `took over the state store lock of a run that is no longer alive (apply: host ${hostname()}, pid ${apply.child.pid}`,
    );
    expect(writesOf(world.sandbox)).toHaveLength(writes);
    // The journal the apply left is the next apply's to settle: it finishes the roster.
    expect((await world.cli(['apply', 'roster', '--yes', '--rate', '50'])).code).toBe(0);
    expect(world.sandbox.data().agents).toHaveLength(80);
  }, 60_000);

  it('a plan stopped by SIGINT while it reads exits 130 and frees the lock for the next run', async () => {
    world = await rosterWorld(PLAN_LATENCY_MS);
    const plan = await startReadingPlan(world);
    plan.child.kill('SIGINT');
    const stopped = await plan.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(
      'omnize-sync: interrupted by SIGINT while reading the live state; no plan was made\n',
    );
    world.sandbox.setLatency(0);
    const next = await world.cli(['plan', 'roster']);
    expect(next.code).toBe(0);
    expect(next.stderr).not.toMatch(/took over/);
    expect(next.stdout).toMatch(/^Plan: [1-9]\d* to create/m);
    expect(statuses(await world.cli(['history', '--json']))).toEqual([
      ['plan', 'finished', 0],
      ['plan', 'finished', 130],
    ]);
  }, 60_000);
});
