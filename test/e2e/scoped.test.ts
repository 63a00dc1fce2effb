import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxData } from '../../src/sandbox/data.js';
import { API_PREFIX, type RecordedRequest } from '../../src/sandbox/index.js';
import { createWorld, readJson, type World, writesOf } from './harness.js';
import { agentEmail, writeRoster } from './roster.js';

const KEYS = ['one', 'two', 'three', 'four'] as const;
type Key = (typeof KEYS)[number];

/** What the sandbox holds of one account: the account, its departments and its agents, as served. */
function holdingOf(data: SandboxData, accountId: number) {
  return {
    account: data.accounts.find((account) => account.id === accountId),
    departments: data.departments.filter((department) => department.account_id === accountId),
    agents: data.agents.filter((agent) => agent.account_id === accountId),
  };
}

/** The Omnize IDs a write names: in its path after the API prefix, and an `account_id` in its body. */
function idsNamedBy(request: RecordedRequest): number[] {
  const path = new URL(request.path, 'http://sandbox').pathname.slice(API_PREFIX.length);
  const inPath = [...path.matchAll(/\d+/g)].map(([digits]) => Number(digits));
  const body = request.body as { account_id?: unknown } | undefined;
  return typeof body?.account_id === 'number' ? [...inPath, body.account_id] : inPath;
}

const ownedBy = (own: ReadonlySet<number>) => (named: number[]) => named.every((id) => own.has(id));

/**
 * CONTRACT §12 end to end: four accounts applied, then a manifest of three (`four` left out)
 * with changes in every one — agents renamed, a department dropped — applied with --prune for
 * one account at a time. What the other accounts hold in the sandbox must not change at all.
 */
describe('scoped runs (end to end)', () => {
  let world: World;
  const ids = {} as Record<Key, number>;
  let before: SandboxData;

  beforeAll(async () => {
    world = await createWorld();
    writeRoster(join(world.dir, 'initial'), {
      accounts: KEYS.map((key) => ({ key })),
      departmentsPerAccount: 2,
      agentsPerAccount: 4,
    });
    const first = await world.cli(['apply', 'initial', '--yes', '--rate', '100', '--concurrency', '16']);
    expect(first.code, first.stderr).toBe(0);
    for (const key of KEYS) {
      const account = world.sandbox.data().accounts.find((entry) => entry.email === `contato@${key}.com.br`);
      ids[key] = account!.id;
    }
    writeRoster(join(world.dir, 'changed'), {
      accounts: (['one', 'two', 'three'] as const).map((key) => ({ key })),
      departmentsPerAccount: 1,
      agentsPerAccount: 4,
      nameSuffix: ' Filho',
    });
    before = world.sandbox.data();
  });

  afterAll(async () => {
    await world?.close();
  });

  beforeEach(() => {
    world.sandbox.requests.length = 0;
  });

  it('refuses a key the manifest does not declare: exit 1, one line, no request', async () => {
    for (const command of [
      ['plan', 'changed', '--account', 'nope'],
      ['apply', 'changed', '--yes', '--prune', '--account', 'one', '--account', 'nope'],
      // `four` is in the state store, but the manifest no longer declares it.
      ['apply', 'changed', '--yes', '--prune', '--account', 'four'],
      ['login-links', 'changed', '--account', 'nope'],
    ]) {
      const run = await world.cli(command);
      expect(run.code, command.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/--account (nope|four): the manifest declares no account with this key/);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
    expect(world.sandbox.requests).toEqual([]);
  });

  it('refuses an --account-id that no account of the manifest has: exit 1, no request', async () => {
    const run = await world.cli(['plan', 'changed', '--account-id', String(ids.four)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `--account-id ${ids.four}: no account of the manifest has this Omnize ID (the state store knows it as four`,
    );
    expect(world.sandbox.requests).toEqual([]);
  });

  it('plans one account: reads only it, names the scope first, in --json too', async () => {
    const run = await world.cli(['plan', 'changed', '--prune', '--account', 'one']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      'Scope: account one (--account one); other accounts are not read or planned.',
    );
    const reads = world.sandbox.requests;
    expect(reads.every((request) => request.method === 'GET')).toBe(true);
    // 2 GETs for the account and 2 for each of its 2 departments.
    expect(reads).toHaveLength(6);
    const accountReads = reads.filter((request) => request.path.includes('account_id='));
    expect(
      accountReads.map((request) => new URL(request.path, 'http://x').searchParams.get('account_id')),
    ).toEqual([String(ids.one), String(ids.one)]);

    const json = await world.cli(['plan', 'changed', '--json', '--account-id', String(ids.two)]);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { scope: unknown; actions: { account: string }[] };
    expect(plan.scope).toEqual({ accounts: [], accountIds: [ids.two], selected: ['two'] });
    expect(new Set(plan.actions.map((action) => action.account))).toEqual(new Set(['two']));
  });

  it('without a scope, the same manifest would change every account, `four` deactivated', async () => {
    const run = await world.cli(['plan', 'changed', '--prune', '--json', '--max-deactivations', '100%']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { scope: unknown; actions: { kind: string; account: string }[] };
    expect(plan.scope).toBeNull();
    expect(new Set(plan.actions.map((action) => action.account))).toEqual(new Set(KEYS));
    expect(plan.actions).toContainEqual(
      expect.objectContaining({ kind: 'account.deactivate', account: 'four' }),
    );
  });

  it('apply --prune --account one changes account one and leaves every other account as it was', async () => {
    const run = await world.cli(['apply', 'changed', '--yes', '--prune', '--account', 'one']);
    expect(run.code, run.stderr).toBe(0);
    const after = world.sandbox.data();
    for (const key of ['two', 'three', 'four'] as const) {
      expect(holdingOf(after, ids[key]), key).toEqual(holdingOf(before, ids[key]));
    }
    // Every write went to account one or to its departments and agents.
    const one = holdingOf(after, ids.one);
    const ownIds = new Set([ids.one, ...one.departments.map((d) => d.id), ...one.agents.map((a) => a.id)]);
    expect(writesOf(world.sandbox).length).toBeGreaterThan(0);
    for (const write of writesOf(world.sandbox))
      expect(idsNamedBy(write), write.path).toSatisfy(ownedBy(ownIds));
    // Account one did change: renamed agents, and the department the manifest dropped deactivated.
    expect(one.agents.find((agent) => agent.email === agentEmail('one', 0))?.name).toMatch(/ Filho$/);
    expect(one.departments.find((department) => department.name === 'Departamento 1')?.ativo).toBe(0);
    const [folder] = world.reports().slice(-1);
    expect(readJson(join(folder!, 'summary.json')).scope).toEqual({
      accounts: ['one'],
      accountIds: [],
      selected: ['one'],
    });
  });

  it('a plan saved with a scope applies exactly that scope, and refuses another', async () => {
    before = world.sandbox.data();
    const planned = await world.cli([
      'plan',
      'changed',
      '--prune',
      '--account-id',
      String(ids.two),
      '--out',
      'two.json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    world.sandbox.requests.length = 0;

    const other = await world.cli(['apply', 'changed', '--plan', 'two.json', '--yes', '--account', 'three']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `--plan two.json was made for --account-id ${ids.two} only, not --account three`,
    );
    expect(world.sandbox.requests).toEqual([]);

    const applied = await world.cli(['apply', 'changed', '--plan', 'two.json', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout.split('\n')[0]).toBe(
      `Scope: account two (--account-id ${ids.two}); other accounts are not read or planned.`,
    );
    const after = world.sandbox.data();
    for (const key of ['one', 'three', 'four'] as const) {
      expect(holdingOf(after, ids[key]), key).toEqual(holdingOf(before, ids[key]));
    }
    const two = holdingOf(after, ids.two);
    expect(two.departments.find((department) => department.name === 'Departamento 1')?.ativo).toBe(0);
    const [folder] = world.reports().slice(-1);
    expect(readJson(join(folder!, 'summary.json')).scope).toEqual({
      accounts: [],
      accountIds: [ids.two],
      selected: ['two'],
    });
  });

  it('login-links asks links for the agents of the scoped accounts only', async () => {
    const run = await world.cli(['login-links', 'changed', '--account', 'three']);
    expect(run.code, run.stderr).toBe(0);
    const emails = run.stdout
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(emails).toEqual([0, 1, 2, 3].map((index) => agentEmail('three', index)));
    expect(world.sandbox.requests).toHaveLength(4);
  });
});
