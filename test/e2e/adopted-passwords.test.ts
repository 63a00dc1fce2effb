import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/omnize/password.js';
import { StateStore } from '../../src/state/index.js';
import { createWorld, readJson, type World, writesOf } from './harness.js';

const ACCOUNT_ID = 1000;
const [ANA_ID, BIA_ID] = [10_000, 10_001];
const MANIFEST_PASSWORD = 'Senha-da-Planilha-1';
const NEW_MANIFEST_PASSWORD = 'Senha-Nova-2';
/** What the agents chose after the manifest's password was first given to them, outside this tool. */
const PASSWORD_ANA_CHOSE = 'escolhida-pela-ana';
const PASSWORD_BIA_CHOSE = 'escolhida-pela-bia';

/** The live state: one account whose agents already match the manifest, and have passwords of their own. */
const SEED = {
  accounts: [
    {
      id: ACCOUNT_ID,
      email: 'contato@padaria.com.br',
      main_contact: 'João Conceição',
      license_quantity: 5,
    },
  ],
  agents: [
    {
      id: ANA_ID,
      account_id: ACCOUNT_ID,
      email: 'ana@padaria.com.br',
      name: 'Ana Souza',
      password_sha256: sha256Hex(PASSWORD_ANA_CHOSE),
    },
    {
      id: BIA_ID,
      account_id: ACCOUNT_ID,
      email: 'bia@padaria.com.br',
      name: 'Bia Lima',
      password_sha256: sha256Hex(PASSWORD_BIA_CHOSE),
    },
  ],
};

function writeManifest(world: World, anaPassword: string): string {
  const folder = join(world.dir, 'roster');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'accounts.csv'),
    'key,email,main_contact,license_quantity\npadaria,contato@padaria.com.br,João Conceição,5\n',
  );
  writeFileSync(
    join(folder, 'agents.csv'),
    `account,email,name,profile,password\n` +
      `padaria,ana@padaria.com.br,Ana Souza,AGENT,${anaPassword}\n` +
      `padaria,bia@padaria.com.br,Bia Lima,AGENT,${MANIFEST_PASSWORD}\n`,
  );
  return folder;
}

function livePassword(world: World, agentId: number): string | null | undefined {
  return world.sandbox.data().agents.find((agent) => agent.id === agentId)?.password_sha256;
}

function agentWrites(world: World) {
  return writesOf(world.sandbox).filter((request) => request.path.includes('/agents'));
}

describe('passwords of agents in an adopted account (end to end)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld({ seed: SEED });
    writeManifest(world, MANIFEST_PASSWORD);
    const adopted = await world.cli(['state', 'adopt', 'padaria', String(ACCOUNT_ID)]);
    expect(adopted.code).toBe(0);
  });
  afterEach(async () => {
    await world.close();
  });

  it('keeps the passwords agents have, records their fingerprints, and sends a later manifest change', async () => {
    const plan = await world.cli(['plan', 'roster', '--json']);
    expect(plan.code).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      actions: { kind: string }[];
      passwordsToRecord: { email: string }[];
    };
    expect(planned.actions.map((action) => action.kind)).not.toContain('agent.update');
    expect(planned.passwordsToRecord.map((entry) => entry.email)).toEqual([
      'ana@padaria.com.br',
      'bia@padaria.com.br',
    ]);
    expect(plan.stdout).not.toContain(MANIFEST_PASSWORD);
    expect(plan.stdout).not.toContain(sha256Hex(MANIFEST_PASSWORD));
    expect((await world.cli(['plan', 'roster'])).stdout).not.toMatch(/password/);

    const apply = await world.cli(['apply', 'roster', '--yes']);
    expect(apply.code).toBe(0);
    expect(agentWrites(world)).toEqual([]);
    expect(livePassword(world, ANA_ID)).toBe(sha256Hex(PASSWORD_ANA_CHOSE));
    expect(livePassword(world, BIA_ID)).toBe(sha256Hex(PASSWORD_BIA_CHOSE));
    const [, applyFolder] = world.reports();
    const planJson = readFileSync(join(applyFolder!, 'plan.json'), 'utf8');
    expect(planJson).not.toContain(MANIFEST_PASSWORD);
    expect(planJson).not.toContain(sha256Hex(MANIFEST_PASSWORD));
    expect(
      readJson<{ passwordsToRecord: unknown[] }>(join(applyFolder!, 'plan.json')).passwordsToRecord,
    ).toHaveLength(2);

    const store = StateStore.open(world.statePath);
    try {
      expect(store.listAgents(ACCOUNT_ID).map((agent) => [agent.email, agent.passwordFingerprint])).toEqual([
        ['ana@padaria.com.br', store.fingerprint(MANIFEST_PASSWORD)],
        ['bia@padaria.com.br', store.fingerprint(MANIFEST_PASSWORD)],
      ]);
    } finally {
      store.close();
    }
    const stateFile = readFileSync(world.statePath);
    expect(stateFile.includes(MANIFEST_PASSWORD)).toBe(false);
    expect(stateFile.includes(sha256Hex(MANIFEST_PASSWORD))).toBe(false);

    world.sandbox.requests.length = 0;
    const again = await world.cli(['apply', 'roster', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect(writesOf(world.sandbox)).toEqual([]);

    writeManifest(world, NEW_MANIFEST_PASSWORD);
    const changedPlan = await world.cli(['plan', 'roster']);
    expect(changedPlan.stdout).toContain('~ agent ana@padaria.com.br: password: changed');
    expect(changedPlan.stdout).not.toContain('bia@padaria.com.br');
    const changed = await world.cli(['apply', 'roster', '--yes']);
    expect(changed.code).toBe(0);
    expect(agentWrites(world).map((request) => `${request.method} ${request.path}`)).toEqual([
      `PUT /api/v1/agents/${ANA_ID}`,
    ]);
    expect(livePassword(world, ANA_ID)).toBe(sha256Hex(NEW_MANIFEST_PASSWORD));
    expect(livePassword(world, BIA_ID)).toBe(sha256Hex(PASSWORD_BIA_CHOSE));
  });
});
