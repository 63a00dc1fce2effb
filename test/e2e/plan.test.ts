import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoWorld, readJson, TOKEN, type World, writesOf } from './harness.js';

const EXPECTED_PLAN = `account padaria
  ~ account padaria (adopted): email: (unknown) → "contato@padariasaojoao.com.br", main contact: (unknown) → "João Conceição", phone: (unknown) → "(11) 98877-6655", url: (unknown) → "www.padariasaojoao.com.br"   demo/accounts.csv:2
  ~ account padaria (adopted): licenses: (unknown) → 5   demo/accounts.csv:2
  ~ account padaria (adopted): license code: (unknown) → "PARTNER_X"   demo/accounts.csv:2
  ~ account padaria: activate (adopted)   demo/accounts.csv:2
  ~ department Encomendas: channels + video   demo/departments.csv:3
  ~ agent marcia.goncalves@padariasaojoao.com.br: text limit: (unknown) → 5   demo/agents.csv:3
  ~ agent antonio.brandao@padariasaojoao.com.br: name: "Antônio Brandão" → "Antônio Brandão Filho"   demo/agents.csv:4
  ~ department Atendimento: + 1 agent (joao@padariasaojoao.com.br)   demo/departments.csv:2
  ~ department Encomendas: + 1 agent (joao@padariasaojoao.com.br)   demo/departments.csv:3
account otica
  ~ account otica (adopted): email: (unknown) → "atendimento@oticaaraujo.com.br", main contact: (unknown) → "Fernanda Araújo", phone: (unknown) → "(21) 3344-5566", url: (unknown) → "www.oticaaraujo.com.br"   demo/accounts.csv:3
  ~ account otica (adopted): licenses: (unknown) → 4   demo/accounts.csv:3
  ~ account otica: activate (adopted)   demo/accounts.csv:3
  ~ agent thiago.simoes@oticaaraujo.com.br: text limit: (unknown) → 3   demo/agents.csv:6
  + agent lucia.pereira@oticaaraujo.com.br (profile AGENT)   demo/agents.csv:7
  ~ department Vendas: + 1 agent (lucia.pereira@oticaaraujo.com.br)   demo/departments.csv:4
account cafe
  + account cafe (contato@cafedaesquina.com.br, 5 licenses)   demo/accounts.csv:4
  ~ account cafe: license code: "PARTNER_X"   demo/accounts.csv:4
  + department Balcão (active, channels chat)   demo/departments.csv:5
  + department Delivery (active, channels chat, audio)   demo/departments.csv:6
  + agent luiza@cafedaesquina.com.br (profile ADMIN)   demo/agents.csv:8
  + agent caua.ribeiro@cafedaesquina.com.br (profile AGENT, text limit 10)   demo/agents.csv:9
  ~ department Balcão: + 1 agent (luiza@cafedaesquina.com.br)   demo/departments.csv:5
  ~ department Delivery: + 2 agents (luiza@cafedaesquina.com.br, caua.ribeiro@cafedaesquina.com.br)   demo/departments.csv:6
Plan: 6 to create, 17 to update, 0 to deactivate or remove, 0 to delete.
`;

describe('omnize-sync plan (end to end)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createDemoWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('prints the diff for the fixture roster against the seeded sandbox, with GETs only', async () => {
    const run = await world.cli(['plan', 'demo']);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(EXPECTED_PLAN);
    expect(writesOf(world.sandbox)).toEqual([]);
    // 2 GETs for each existing account (padaria, otica) and 2 for each of their 4 departments.
    expect(world.sandbox.requests.filter((request) => request.method === 'GET')).toHaveLength(2 * 2 + 2 * 4);
  });

  it('exits 2 with --detailed-exitcode when there are changes, and prints JSON with --json', async () => {
    const run = await world.cli(['plan', 'demo', '--json', '--detailed-exitcode']);
    expect(run.code).toBe(2);
    const plan = JSON.parse(run.stdout);
    expect(plan.formatVersion).toBe(1);
    expect(plan.actions.map((action: { kind: string }) => action.kind)).toContain('account.create');
  });

  it('saves the plan with its digests and writes a report folder without secrets', async () => {
    const run = await world.cli(['plan', 'demo', '--out', 'saved-plan.json']);
    expect(run.code).toBe(0);
    const saved = readJson<{ manifestDigest: string; observedDigest: string; state: { serial: number } }>(
      join(world.dir, 'saved-plan.json'),
    );
    expect(saved.manifestDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.observedDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.state.serial).toBe(0);
    const [folder] = world.reports();
    expect(folder).toMatch(/\d{8}T\d{6}Z-plan$/);
    for (const file of ['summary.json', 'results.csv', 'plan.json'])
      expect(existsSync(join(folder!, file))).toBe(true);
    const summary = readJson<{ command: string; exitCode: number; requests: { total: number } }>(
      join(folder!, 'summary.json'),
    );
    expect(summary).toMatchObject({ command: 'plan', exitCode: 0, requests: { total: 12 } });
    const results = readFileSync(join(folder!, 'results.csv'), 'utf8');
    expect(results.split('\r\n')[0]).toBe(
      'kind,account,target,action,outcome,error,remote_id,attempts,duration_ms,cause',
    );
    expect(results).toContain('agent,cafe,caua.ribeiro@cafedaesquina.com.br,agent.create,planned');
    for (const file of ['summary.json', 'results.csv', 'plan.json']) {
      expect(readFileSync(join(folder!, file), 'utf8')).not.toContain(TOKEN);
    }
  });

  it('stops with exit 1 and sends nothing when the token is wrong', async () => {
    const run = await world.cli(['plan', 'demo'], { env: { OMNIZE_TOKEN: 'wrong-token' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Invalid token/);
    expect(run.stderr).not.toContain('wrong-token');
  });
});
