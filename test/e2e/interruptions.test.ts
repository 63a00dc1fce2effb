import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { createWorld, readJson, type World, writesOf } from './harness.js';
import { writeRoster } from './roster.js';

const ACCOUNTS = [1, 2].map((n) => ({ id: 3000 + n, email: `c${n}@x.com.br`, main_contact: 'Dona' }));
const ROSTER = {
  accounts: [1, 2].map((n) => ({ key: `conta${n}`, accountId: 3000 + n })),
  departmentsPerAccount: 2,
  agentsPerAccount: 40,
};
/** Slow enough to be caught mid-run: about 10 s of writes at this rate. */
const SLOW_APPLY = ['apply', 'roster', '--yes', '--rate', '10', '--concurrency', '4'];

async function waitForWrites(sandbox: RunningSandbox, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (writesOf(sandbox).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} writes arrived in time`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function expectConvergedWithoutDuplicates(world: World): void {
  const emails = world.sandbox.data().agents.map((agent) => agent.email);
  expect(new Set(emails).size).toBe(emails.length);
  expect(emails).toHaveLength(80);
  const posts = world.sandbox.requests.filter(
    (request) => request.method === 'POST' && request.path === '/api/v1/agents' && request.success === true,
  );
  expect(posts.length).toBeLessThanOrEqual(80);
}

describe('interrupted and concurrent runs (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('stops cleanly on SIGTERM with exit 143 and a report, and the next run finishes without duplicates', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const { child, done } = world.spawnCli(SLOW_APPLY);
    child.stdin?.end();
    await waitForWrites(world.sandbox, 10);
    child.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(143);
    const [folder] = world.reports();
    const summary = readJson<{
      exitCode: number;
      stoppedBy: string;
      counts: { byOutcome: Record<string, number> };
    }>(join(folder!, 'summary.json'));
    expect(summary).toMatchObject({ exitCode: 143, stoppedBy: 'SIGTERM' });
    expect(summary.counts.byOutcome.skipped).toBeGreaterThan(0);
    const writesBefore = writesOf(world.sandbox).length;

    const resumed = await world.cli(['apply', 'roster', '--yes', '--rate', '50']);
    expect(resumed.code).toBe(0);
    expect(writesOf(world.sandbox).length).toBeGreaterThan(writesBefore);
    expectConvergedWithoutDuplicates(world);
  });

  it('refuses a second run while one holds the lock, naming host, pid and start time', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const { child, done } = world.spawnCli(SLOW_APPLY);
    child.stdin?.end();
    await waitForWrites(world.sandbox, 3);
    const second = await world.cli(['apply', 'roster', '--yes']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`host ${hostname()}`);
    expect(second.stderr).toContain(`pid ${child.pid}`);
    expect(second.stderr).toMatch(/since \d{4}-\d\d-\d\dT/);
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
  });

  it('takes over the lock of a run killed with kill -9, and converges', async () => {
    world = await createWorld({ seed: { accounts: ACCOUNTS } });
    writeRoster(join(world.dir, 'roster'), ROSTER);
    const { child, done } = world.spawnCli(SLOW_APPLY);
    child.stdin?.end();
    await waitForWrites(world.sandbox, 10);
    child.kill('SIGKILL');
    await done;
    const next = await world.cli(['apply', 'roster', '--yes', '--rate', '50']);
    expect(next.stderr).toMatch(/took over the state store lock/);
    expect(next.code).toBe(0);
    expectConvergedWithoutDuplicates(world);
    expect(readFileSync(world.statePath).length).toBeGreaterThan(0);
  });
});
