import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { createDemoWorld, createWorld, readJson, TOKEN, type World, writesOf } from './harness.js';
import { writeRoster } from './roster.js';

/** No entity exists twice: agent e-mails, department names per account, account e-mails. */
function expectNoDuplicates(sandbox: RunningSandbox): void {
  const data = sandbox.data();
  const emails = data.agents.map((agent) => agent.email.toLowerCase());
  expect(new Set(emails).size).toBe(emails.length);
  const departments = data.departments.map(
    (department) => `${department.account_id}/${department.name.toLowerCase()}`,
  );
  expect(new Set(departments).size).toBe(departments.length);
  const accounts = data.accounts
    .filter((account) => !account.deleted)
    .map((account) => account.email.toLowerCase());
  expect(new Set(accounts).size).toBe(accounts.length);
}

/** mulberry32: a small seeded generator, good enough to choose faults. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('omnize-sync apply (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('refuses without --yes when standard input is not a terminal, before any request', async () => {
    world = await createDemoWorld();
    const run = await world.cli(['apply', 'demo']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--yes/);
    expect(world.sandbox.requests).toEqual([]);
  });

  it('converges a roster, then a changed roster, and a second apply sends no write', async () => {
    world = await createDemoWorld();
    const first = await world.cli(['apply', 'demo', '--yes', '--rate', '50']);
    expect(first.stderr).toMatch(/23 ok, 0 failed/);
    expect(first.code).toBe(0);
    // summary.json counts what the sandbox received, from the run's one count of requests.
    const [firstFolder] = world.reports();
    const counted = readJson<{ requests: Record<string, number>; retries: number }>(
      join(firstFolder!, 'summary.json'),
    );
    const received = world.sandbox.requests;
    expect(counted.requests).toEqual({
      total: received.length,
      reads: received.filter((request) => request.method === 'GET').length,
      writes: writesOf(world.sandbox).length,
    });
    expect(counted.retries).toBe(0);
    const data = world.sandbox.data();
    expect(data.agents.find((agent) => agent.email === 'antonio.brandao@padariasaojoao.com.br')?.name).toBe(
      'Antônio Brandão Filho',
    );
    expect(data.accounts.find((account) => account.email === 'contato@cafedaesquina.com.br')).toBeDefined();

    world.sandbox.requests.length = 0;
    const again = await world.cli(['apply', 'demo', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect(writesOf(world.sandbox)).toEqual([]);

    writeRoster(join(world.dir, 'changed'), {
      accounts: [{ key: 'padaria', accountId: 1000 }],
      departmentsPerAccount: 1,
      agentsPerAccount: 3,
    });
    const changed = await world.cli(['apply', 'changed', '--yes', '--rate', '50']);
    expect(changed.code).toBe(0);
    world.sandbox.requests.length = 0;
    const settled = await world.cli(['apply', 'changed', '--yes']);
    expect(settled.code).toBe(0);
    expect(writesOf(world.sandbox)).toEqual([]);
    expectNoDuplicates(world.sandbox);

    const [, , folder] = world.reports();
    for (const file of ['summary.json', 'results.csv', 'plan.json'])
      expect(existsSync(join(folder!, file))).toBe(true);
    const summary = readJson<{ exitCode: number; counts: { byOutcome: Record<string, number> } }>(
      join(folder!, 'summary.json'),
    );
    expect(summary.exitCode).toBe(0);
    expect(summary.counts.byOutcome.ok).toBeGreaterThan(0);
    for (const file of ['summary.json', 'results.csv', 'plan.json']) {
      expect(readFileSync(join(folder!, file), 'utf8')).not.toContain(TOKEN);
    }
  });

  it('converges within two runs under 15% injected faults, with no duplicate', async () => {
    world = await createWorld({
      seed: {
        accounts: [1, 2, 3].map((n) => ({ id: 2000 + n, email: `c${n}@x.com.br`, main_contact: 'Dona' })),
      },
      // 500s, dropped connections and slow answers on 15% of requests, and 429s above 35 requests/s.
      failRate: 0.15,
      rateLimit: 35,
      slowMs: 1500,
      // The same faults on every run of the test, so a failure can be replayed.
      random: seededRandom(20261129),
    });
    writeRoster(join(world.dir, 'roster'), {
      accounts: [1, 2, 3].map((n) => ({ key: `conta${n}`, accountId: 2000 + n })),
      departmentsPerAccount: 3,
      agentsPerAccount: 12,
    });
    // A slow answer outlasts the timeout: the create's outcome is unknown and must be looked up, not re-sent.
    const args = ['apply', 'roster', '--yes', '--rate', '40', '--concurrency', '8', '--timeout-ms', '1000'];
    const first = await world.cli(args);
    expect([0, 3]).toContain(first.code);
    const faults = new Set(world.sandbox.requests.map((request) => request.fault).filter(Boolean));
    expect([...faults].sort()).toEqual(['drop', 'rate-limit', 'server-error', 'slow']);
    const second = await world.cli(args);
    expect([0, 3]).toContain(second.code);
    world.sandbox.setFailRate(0);
    world.sandbox.requests.length = 0;
    const check = await world.cli(['plan', 'roster', '--detailed-exitcode']);
    expect(check.stdout).toMatch(/No changes/);
    expect(check.code).toBe(0);
    expectNoDuplicates(world.sandbox);
    expect(world.sandbox.data().agents).toHaveLength(36);
  });
});
