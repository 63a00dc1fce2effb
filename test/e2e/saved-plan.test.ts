import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, readJson, type World, writesOf } from './harness.js';

/** Which check of `checkSaved` refused the saved plan, as the run's summary.json records it. */
function refusedBy(world: World): unknown {
  const summary = readJson<{ stoppedBy?: string; savedPlan?: { refusedBy: string } }>(
    join(world.reports().at(-1)!, 'summary.json'),
  );
  expect(summary.stoppedBy).toBe('stale-plan');
  return summary.savedPlan?.refusedBy;
}

describe('saved plans (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('applies a saved plan when nothing changed, and then a no-op plan reads 2 GETs per account and per department', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    const applied = await world.cli(['apply', 'demo', '--plan', 'reviewed.json', '--yes']);
    expect(applied.stderr).toMatch(/23 ok/);
    expect(applied.code).toBe(0);

    world.sandbox.requests.length = 0;
    const noop = await world.cli(['plan', 'demo', '--detailed-exitcode']);
    expect(noop.code).toBe(0);
    // Every account of the sandbox is in the manifest (padaria, otica, cafe): 3 accounts, 6 departments.
    const { accounts, departments } = world.sandbox.data();
    expect([accounts.length, departments.length]).toEqual([3, 6]);
    expect(world.sandbox.requests.filter((request) => request.method === 'GET')).toHaveLength(2 * 3 + 2 * 6);
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('refuses (exit 4) a saved plan whose live state changed since', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    // Someone renames an agent in Omnize between the review and the apply.
    const response = await fetch(`${world.sandbox.baseUrl}/agents/10003`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: world.env.OMNIZE_TOKEN,
        agent: { email: 'fernanda@oticaaraujo.com.br', name: 'Fernanda A.' },
      }),
    });
    expect(((await response.json()) as { success: boolean }).success).toBe(true);
    world.sandbox.requests.length = 0;
    const stale = await world.cli(['apply', 'demo', '--plan', 'reviewed.json', '--yes']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/live state in Omnize changed/);
    expect(refusedBy(world)).toBe('live-digest');
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('refuses a plan made from an empty state once another apply has changed the state', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'old.json'])).code).toBe(0);
    expect((await world.cli(['apply', 'demo', '--yes'])).code).toBe(0);
    world.sandbox.requests.length = 0;
    const stale = await world.cli(['apply', 'demo', '--plan', 'old.json', '--yes']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/state store changed since it was made \(serial 0 then, \d+ now\)/);
    expect(refusedBy(world)).toBe('state-serial');
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('refuses a saved plan made against another state store, though both are empty', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    world.sandbox.requests.length = 0;
    const elsewhere = await world.cli(['apply', 'demo', '--plan', 'reviewed.json', '--yes'], {
      env: { OMNIZE_STATE: join(world.dir, 'another.db') },
    });
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stderr).toMatch(/made against another state store/);
    expect(refusedBy(world)).toBe('state-identity');
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('refuses a saved plan when the manifest changed since', async () => {
    world = await createDemoWorld();
    const folder = join(world.dir, 'demo');
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(
      join(folder, 'agents.csv'),
      'cafe;novo@cafedaesquina.com.br;Novo Agente;AGENT;;Balcão;\r\n',
    );
    const stale = await world.cli(['apply', 'demo', '--plan', 'reviewed.json', '--yes']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/manifest changed/);
    expect(refusedBy(world)).toBe('manifest-digest');
  });
});
