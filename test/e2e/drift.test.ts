import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, readJson, TOKEN, type World } from './harness.js';

const CAUA = 'caua.ribeiro@cafedaesquina.com.br';

/** A write to the sandbox's API as someone working in Omnize would make it, behind omnize-sync's back. */
async function putBehindTheBack(world: World, path: string, body: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${world.sandbox.baseUrl}${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: TOKEN, ...body }),
  });
  const parsed = (await answer.json()) as { success?: boolean };
  expect(parsed.success).toBe(true);
}

/** The newest report folder's summary.json and results.csv rows. */
function lastReport(world: World): { drift: number; rows: string[] } {
  const folder = world.reports().at(-1)!;
  const summary = readJson<{ drift: { changes: number } }>(join(folder, 'summary.json'));
  const rows = readFileSync(join(folder, 'results.csv'), 'utf8').trimEnd().split('\r\n');
  return { drift: summary.drift.changes, rows };
}

describe('drift (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('tells a change made in Omnize from a change of the manifest, after an apply', async () => {
    world = await createDemoWorld();
    const applied = await world.cli(['apply', 'demo', '--yes']);
    expect(applied.code).toBe(0);

    // An agent's name changed in Omnize through its API: the plan puts it back, marked as drift.
    const caua = world.sandbox.data().agents.find((agent) => agent.email === CAUA)!;
    await putBehindTheBack(world, `/agents/${caua.id}`, { agent: { email: CAUA, name: 'Caua R.' } });
    const first = await world.cli(['plan', 'demo']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `~ agent ${CAUA}: name: "Caua R." → "Cauã Ribeiro" (changed in Omnize)   demo/agents.csv:9`,
    );
    expect(first.stdout).toContain('1 of them changed in Omnize.');
    const report = lastReport(world);
    expect(report.drift).toBe(1);
    expect(report.rows[0]!.endsWith(',cause')).toBe(true);
    expect(report.rows).toContain(`agent,cafe,${CAUA},agent.update,planned,,,0,0,drift`);

    // A department renamed in Omnize is one drift change (renamed back, not created again);
    // a name changed in the manifest is one manifest change.
    const balcao = world.sandbox.data().departments.find((department) => department.name === 'Balcão')!;
    await putBehindTheBack(world, `/departments/${balcao.id}`, { department: { name: 'Caixa' } });
    const agents = join(world.dir, 'demo', 'agents.csv');
    writeFileSync(agents, readFileSync(agents, 'utf8').replace('Luíza Câmara', 'Luíza Câmara Souza'));
    const second = await world.cli(['plan', 'demo', '--json']);
    expect(second.code).toBe(0);
    const plan = JSON.parse(second.stdout) as {
      actions: { kind: string; target: string; cause: string; params: { departmentId?: number } }[];
    };
    const changes = plan.actions.map((action) => `${action.kind} ${action.target} ${action.cause}`);
    expect(changes).toEqual([
      'department.update Balcão drift',
      'agent.update luiza@cafedaesquina.com.br manifest',
      `agent.update ${CAUA} drift`,
    ]);
    expect(plan.actions[0]!.params.departmentId).toBe(balcao.id);
    expect(lastReport(world).drift).toBe(2);

    // Applying puts it all back and records it: the next plan has nothing, drift or not.
    expect((await world.cli(['apply', 'demo', '--yes'])).code).toBe(0);
    const after = await world.cli(['plan', 'demo']);
    expect(after.stdout).toMatch(/^No changes/m);
    expect(lastReport(world).drift).toBe(0);
  });
});
