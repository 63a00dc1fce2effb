import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { CLUSTER_PASSWORD, startCluster, type TestCluster } from '../postgres/cluster.js';
import { createWorld, TOKEN, type World, writesOf } from './harness.js';
import { writeRoster } from './roster.js';

/**
 * plan and apply on a PostgreSQL state store (CONTRACT §16), through the built CLI against the
 * sandbox and a throwaway PostgreSQL cluster: the run lock holds between two processes started
 * together, and a store moved by `state migrate` plans the same as the file it came from.
 */
const ACCOUNTS = [1, 2].map((n) => ({ id: 4000 + n, email: `p${n}@x.com.br`, main_contact: 'Dona' }));
const ROSTER = {
  accounts: [1, 2].map((n) => ({ key: `conta${n}`, accountId: 4000 + n })),
  departmentsPerAccount: 2,
  agentsPerAccount: 20,
};

let cluster: TestCluster;
let databases = 0;

beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

function freshDatabase(): Promise<string> {
  databases += 1;
  return cluster.createDatabase(`e2e_${process.pid}_${databases}`);
}

describe('plan and apply on a PostgreSQL state store (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('two applies started together: exactly one applies, the other exits 1 naming the holder; no create twice', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const url = await freshDatabase();
    const env = { OMNIZE_STATE: url };
    // Slow enough (44 writes at 10/s) that the second start finds the first holding the lock.
    const args = ['apply', 'roster', '--yes', '--rate', '10', '--concurrency', '4'];
    const runs = [world.spawnCli(args, { env }), world.spawnCli(args, { env })];
    for (const { child } of runs) child.stdin?.end();
    const [first, second] = await Promise.all(runs.map(({ done }) => done));
    const results = [first!, second!];
    const winner = results.findIndex((result) => result.code === 0);
    expect(winner).not.toBe(-1);
    const loser = results[1 - winner]!;
    expect(loser.code).toBe(1);
    expect(loser.stderr).toContain(`pid ${runs[winner]!.child.pid}`);
    expect(loser.stderr).toContain('postgres://omnize:***@127.0.0.1:');
    expect(results.map((result) => result.stdout + result.stderr).join('')).not.toContain(CLUSTER_PASSWORD);

    const agents = world.sandbox.data().agents.map((agent) => agent.email.toLowerCase());
    expect(agents).toHaveLength(40);
    expect(new Set(agents).size).toBe(40);
    const creates = writesOf(world.sandbox).filter(
      (request) => request.method === 'POST' && request.path === '/api/v1/agents',
    );
    expect(creates).toHaveLength(40);
  }, 60_000);

  it('a plan while an apply holds the lock (the laptop and the CronJob): exit 1 naming it, no request; then it plans', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const env = { OMNIZE_STATE: await freshDatabase() };
    const apply = world.spawnCli(['apply', 'roster', '--yes', '--rate', '10', '--concurrency', '4'], { env });
    apply.child.stdin?.end();
    const deadline = Date.now() + 20_000;
    while (writesOf(world.sandbox).length < 3) {
      if (Date.now() > deadline) throw new Error('fewer than 3 writes arrived in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // The plan talks to a sandbox of its own: any request of its would be seen there.
    const laptop = await startSandbox({ port: 0, token: TOKEN, seed: { accounts: ACCOUNTS } });
    try {
      const refused = await world.cli(['plan', 'roster'], {
        env: { ...env, OMNIZE_BASE_URL: laptop.baseUrl, OMNIZE_AUTH_URL: laptop.authUrl },
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        `in use by another run (apply): host ${hostname()}, pid ${apply.child.pid}, since `,
      );
      expect(refused.stderr).toContain('postgres://omnize:***@127.0.0.1:');
      expect(refused.stderr).not.toContain(CLUSTER_PASSWORD);
      expect(laptop.requests).toEqual([]);
    } finally {
      await laptop.stop();
    }
    expect((await apply.done).code).toBe(0);
    const plan = await world.cli(['plan', 'roster', '--detailed-exitcode'], { env });
    expect(plan.code).toBe(0);
    expect(plan.stderr).not.toMatch(/took over/);
  }, 60_000);

  it('an apply killed with kill -9 mid-run: the next one takes over its lease and converges, no create twice', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const env = { OMNIZE_STATE: await freshDatabase() };
    const { child, done } = world.spawnCli(
      ['apply', 'roster', '--yes', '--rate', '10', '--concurrency', '4'],
      {
        env,
      },
    );
    child.stdin?.end();
    const deadline = Date.now() + 20_000;
    while (writesOf(world.sandbox).length < 8) {
      if (Date.now() > deadline) throw new Error('fewer than 8 writes arrived in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    await done;
    const next = await world.cli(['apply', 'roster', '--yes', '--rate', '200'], { env });
    expect(next.stderr).toMatch(/took over the state store lock/);
    expect(next.stderr).not.toContain(CLUSTER_PASSWORD);
    expect(next.code).toBe(0);
    const agents = world.sandbox.data().agents.map((agent) => agent.email.toLowerCase());
    expect(agents).toHaveLength(40);
    expect(new Set(agents).size).toBe(40);
    const history = await world.cli(['history', '--json'], { env });
    const statuses = (JSON.parse(history.stdout) as { status: string }[]).map((run) => run.status);
    expect(statuses).toEqual(['finished', 'died']);
  }, 120_000);

  it('state migrate, then a plan against the PostgreSQL store finds nothing to do (--detailed-exitcode 0)', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const applied = await world.cli(['apply', 'roster', '--yes', '--rate', '200']);
    expect(applied.code).toBe(0);
    const url = await freshDatabase();
    const migrated = await world.cli(['state', 'migrate', '--to', url]);
    expect(migrated.code).toBe(0);
    const writes = writesOf(world.sandbox).length;

    const plan = await world.cli(['plan', 'roster', '--detailed-exitcode'], { env: { OMNIZE_STATE: url } });
    expect(plan.stderr).not.toContain(CLUSTER_PASSWORD);
    expect(plan.code).toBe(0);
    const apply = await world.cli(['apply', 'roster', '--yes'], { env: { OMNIZE_STATE: url } });
    expect(apply.code).toBe(0);
    expect(writesOf(world.sandbox)).toHaveLength(writes);
    const history = await world.cli(['history', '--json'], { env: { OMNIZE_STATE: url } });
    expect(history.code).toBe(0);
    const commands = (JSON.parse(history.stdout) as { command: string }[]).map((run) => run.command);
    // Newest first: the two runs on PostgreSQL, then the file's apply, copied by the migration.
    expect(commands).toEqual(['apply', 'plan', 'apply']);
  }, 60_000);
});
