import { appendFileSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, DEMO_SEED, readJson, type World, writesOf } from './harness.js';

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

describe('apply --plan FILE without the manifest (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('reads the manifest the plan recorded, from any folder, and applies it: a second plan has no changes', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    const saved = readJson<{ manifestPaths: unknown }>(join(world.dir, 'reviewed.json'));
    expect(saved.manifestPaths).toEqual([{ path: join(realpathSync(world.dir), 'demo'), given: 'demo' }]);

    const elsewhere = join(world.dir, 'elsewhere');
    mkdirSync(elsewhere);
    const applied = await world.cli(['apply', '--plan', '../reviewed.json', '--yes'], { cwd: elsewhere });
    expect(applied.stderr).toMatch(/23 ok/);
    expect(applied.code).toBe(0);

    world.sandbox.requests.length = 0;
    const again = await world.cli(['plan', 'demo', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No changes/);
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('refuses (exit 4, manifest-digest) when the recorded manifest was edited since, sending no write', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    appendFileSync(
      join(world.dir, 'demo', 'agents.csv'),
      'cafe;novo@cafedaesquina.com.br;Novo Agente;AGENT;;Balcão;\r\n',
    );
    world.sandbox.requests.length = 0;
    const stale = await world.cli(['apply', '--plan', 'reviewed.json', '--yes']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/manifest changed/);
    expect(refusedBy(world)).toBe('manifest-digest');
    expect(writesOf(world.sandbox)).toEqual([]);
  });

  it('exits 1 naming the recorded manifest when it no longer exists, before any request', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    rmSync(join(world.dir, 'demo'), { recursive: true });
    world.sandbox.requests.length = 0;
    const gone = await world.cli(['apply', '--plan', 'reviewed.json', '--yes']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(
      `omnize-sync: --plan reviewed.json was made from ${join(realpathSync(world.dir), 'demo')}, which no longer exists: name the manifest`,
    );
    expect(gone.stderr).not.toMatch(/\n\s+at /);
    expect(world.sandbox.requests).toHaveLength(0);
  });

  it('exits 1 asking for the manifest when the plan was saved without its paths, and applies once it is named', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    // As an omnize-sync from before the paths were recorded saved it.
    const path = join(world.dir, 'reviewed.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^"manifestPaths":.*\n/m, ''));
    expect(readJson(path)).not.toHaveProperty('manifestPaths');
    world.sandbox.requests.length = 0;
    const refused = await world.cli(['apply', '--plan', 'reviewed.json', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /--plan reviewed\.json does not record its manifest \(saved by an older omnize-sync\): name the manifest/,
    );
    expect(world.sandbox.requests).toHaveLength(0);
    const applied = await world.cli(['apply', 'demo', '--plan', 'reviewed.json', '--yes']);
    expect(applied.code).toBe(0);
  });

  it('keeps the manifest required without --plan', async () => {
    world = await createDemoWorld();
    const refused = await world.cli(['apply', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('omnize-sync: Not enough non-option arguments: got 0, need at least 1\n');
    expect(world.sandbox.requests).toHaveLength(0);
  });

  it('hands back a failed row in rejected.xlsx: the recorded manifest is read as it was named', async () => {
    const taken = 'rafael.lima@externo.com.br';
    world = await createDemoWorld({
      seed: {
        ...DEMO_SEED,
        agents: [
          ...(DEMO_SEED.agents ?? []),
          { id: 19000, account_id: 1001, email: taken, name: 'Rafael Lima' },
        ],
      },
    });
    appendFileSync(join(world.dir, 'demo', 'agents.csv'), `cafe;${taken};Rafael Lima;AGENT;;Delivery;\r\n`);
    expect((await world.cli(['plan', 'demo', '--out', 'reviewed.json'])).code).toBe(0);
    const applied = await world.cli(['apply', '--plan', 'reviewed.json', '--yes']);
    expect(applied.code).toBe(3);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(world.reports().at(-1)!, 'rejected.xlsx'));
    const agents = workbook.getWorksheet('agents')!;
    const rows = [...Array(agents.rowCount).keys()].map((index) =>
      (agents.getRow(index + 1).values as unknown[]).slice(1).map(String),
    );
    const rejected = rows.filter((row) => row.includes(taken));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.at(-1)).toMatch(/agent\.create: .*already been taken/i);
  });
});
