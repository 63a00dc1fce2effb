import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, createWorld, readJson, TOKEN, type World, writesOf } from './harness.js';

const CAUA = 'caua.ribeiro@cafedaesquina.com.br';

/** An account omnize-sync never made: its department and agents already match the manifest below. */
const ADOPTED = 2000;
const [ANA_ID, BIA_ID, VENDAS_ID] = [20_000, 20_001, 700];
const ADOPTED_SEED = {
  accounts: [{ id: ADOPTED, email: 'contato@loja.com.br', main_contact: 'Rita', license_quantity: 5 }],
  agents: [
    { id: ANA_ID, account_id: ADOPTED, email: 'ana@loja.com.br', name: 'Ana Souza' },
    {
      id: BIA_ID,
      account_id: ADOPTED,
      email: 'bia@loja.com.br',
      name: 'Bia Lima',
      administrator: 'SIM' as const,
    },
  ],
  departments: [
    {
      id: VENDAS_ID,
      account_id: ADOPTED,
      name: 'Vendas',
      description: 'Time de vendas',
      channels: ['chat' as const],
      agent_ids: [ANA_ID],
    },
  ],
};

/** The adopted roster as a manifest naming its account by `account_id` (what `export` writes for an account the store does not know). */
function writeAdoptedManifest(world: World, agents = 'Ana Souza,AGENT;Bia Lima,ADMIN'): string {
  const folder = join(world.dir, 'loja');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'departments.csv'),
    `account_id,name,description,status,channels\n${ADOPTED},Vendas,Time de vendas,active,chat\n`,
  );
  const [ana, bia] = agents.split(';');
  writeFileSync(
    join(folder, 'agents.csv'),
    `account_id,email,name,profile,departments\n` +
      `${ADOPTED},ana@loja.com.br,${ana},Vendas\n${ADOPTED},bia@loja.com.br,${bia},\n`,
  );
  return folder;
}

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

  it.each([
    ['apply', ['apply', 'loja', '--yes']],
    ['apply --plan FILE', ['apply', '--plan', 'saved.json', '--yes']],
  ])(
    'remembers what already matched at an %s that sent nothing: a later change in Omnize is drift',
    async (_name, applyArgs) => {
      world = await createWorld({ seed: ADOPTED_SEED });
      writeAdoptedManifest(world);
      const first = await world.cli(['plan', 'loja', '--out', 'saved.json']);
      expect(first.stdout).toMatch(/^No changes/m);
      const applied = await world.cli(applyArgs);
      expect(applied.code).toBe(0);
      expect(writesOf(world.sandbox)).toEqual([]);

      // In Omnize: Ana renamed, the department's description changed, Bia renamed;
      // the manifest renames Bia too, to another name, and makes Ana an ADMIN.
      await putBehindTheBack(world, `/agents/${ANA_ID}`, {
        agent: { email: 'ana@loja.com.br', name: 'Ana S.' },
      });
      await putBehindTheBack(world, `/agents/${BIA_ID}`, {
        agent: { email: 'bia@loja.com.br', name: 'Bia L.' },
      });
      await putBehindTheBack(world, `/departments/${VENDAS_ID}`, { department: { description: 'Outro' } });
      writeAdoptedManifest(world, 'Ana Souza,ADMIN;Bia Lima Costa,ADMIN');

      const plan = await world.cli(['plan', 'loja']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain(
        '~ department Vendas: description: "Outro" → "Time de vendas" (changed in Omnize)',
      );
      expect(plan.stdout).toContain(
        '~ agent ana@loja.com.br: name: "Ana S." → "Ana Souza" (changed in Omnize)',
      );
      expect(plan.stdout).toContain('2 of them changed in Omnize.');
      const json = await world.cli(['plan', 'loja', '--json']);
      const actions = (
        JSON.parse(json.stdout) as { actions: { kind: string; target: string; cause: string }[] }
      ).actions;
      expect(actions.map((action) => `${action.kind} ${action.target} ${action.cause}`)).toEqual([
        'department.update Vendas drift',
        'agent.update ana@loja.com.br drift',
        'agent.set_profile ana@loja.com.br manifest',
        'agent.update bia@loja.com.br manifest',
      ]);
      expect(lastReport(world).drift).toBe(2);
    },
  );
});
