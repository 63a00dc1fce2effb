import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, DEMO_SEED, type World } from './harness.js';

/** An agent of another account already holds this e-mail: creating it in "cafe" is refused. */
const TAKEN = 'rafael.lima@externo.com.br';
const seed = {
  ...DEMO_SEED,
  agents: [...(DEMO_SEED.agents ?? []), { id: 19000, account_id: 1001, email: TAKEN, name: 'Rafael Lima' }],
};

describe('rejected.xlsx (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('is in every report folder (CONTRACT §7): after a plan and a clean apply, the sheets with no row', async () => {
    world = await createDemoWorld();
    expect((await world.cli(['plan', 'demo'])).code).toBe(0);
    expect((await world.cli(['apply', 'demo', '--yes'])).code).toBe(0);
    const folders = world.reports();
    expect(folders).toHaveLength(2);
    for (const folder of folders) {
      expect(readdirSync(folder).sort()).toEqual([
        'plan.json',
        'rejected.xlsx',
        'report.html',
        'results.csv',
        'summary.json',
      ]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(join(folder, 'rejected.xlsx'));
      expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.rowCount])).toEqual([
        ['accounts', 1],
        ['departments', 1],
        ['agents', 1],
      ]);
      const agentsHeader = (workbook.getWorksheet('agents')!.getRow(1).values as unknown[]).slice(1);
      expect(agentsHeader).toEqual([
        'account',
        'account_id',
        'email',
        'name',
        'profile',
        'text_limit',
        'departments',
        'password',
        'error',
      ]);
    }
    // Given back as a manifest it holds nothing to do.
    const validated = await world.cli(['validate', join(folders[1]!, 'rejected.xlsx')]);
    expect(validated.stdout).toMatch(/\b0 errors\b/);
    const given = await world.cli(['plan', join(folders[1]!, 'rejected.xlsx'), '--detailed-exitcode']);
    expect(given.stdout).toContain('No changes.');
    expect(given.code).toBe(0);
  });

  it('holds the failed rows with their errors, and applies cleanly once its cells are fixed', async () => {
    world = await createDemoWorld({ seed });
    const folder = join(world.dir, 'demo');
    appendFileSync(join(folder, 'agents.csv'), `cafe;${TAKEN};Rafael Lima;AGENT;;Delivery;\r\n`);
    const first = await world.cli(['apply', 'demo', '--yes']);
    expect(first.code).toBe(3);
    const [report] = world.reports();
    const rejectedPath = join(report!, 'rejected.xlsx');
    expect(existsSync(rejectedPath)).toBe(true);
    expect(existsSync(join(report!, 'report.html'))).toBe(true);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(rejectedPath);
    const agents = workbook.getWorksheet('agents')!;
    const header = (agents.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header).toEqual([
      'account',
      'email',
      'name',
      'profile',
      'text_limit',
      'departments',
      'password',
      'error',
    ]);
    const emailColumn = header.indexOf('email') + 1;
    const errorColumn = header.indexOf('error') + 1;
    const rejectedRow = [...Array(agents.rowCount).keys()]
      .map((index) => agents.getRow(index + 1))
      .find((row) => row.getCell(emailColumn).text === TAKEN)!;
    expect(rejectedRow.getCell(errorColumn).text).toMatch(/agent\.create: .*already been taken/i);
    // The refused create is the one failure: the Delivery batch added the others and names the agent it left out.
    const takenRow = readFileSync(join(folder, 'agents.csv'), 'utf8').trimEnd().split(/\r?\n/).length;
    const results = readFileSync(join(report!, 'results.csv'), 'utf8').split('\r\n');
    const failedRows = results.filter((line) => line.includes(',failed,'));
    expect(failedRows).toHaveLength(1);
    expect(failedRows[0]).toContain(`agent,cafe,${TAKEN},agent.create,failed,`);
    const batch = results.find((line) => line.startsWith('department,cafe,Delivery,department.add_agents,'));
    expect(batch).toContain(`,ok,${TAKEN} (demo/agents.csv:${takenRow}) skipped: creating the agent failed,`);
    expect(results.join('\n')).not.toContain('agent.create:cafe:');

    // The partner fixes the cell and feeds the file back as a manifest.
    rejectedRow.getCell(emailColumn).value = 'rafael.lima@cafedaesquina.com.br';
    await workbook.xlsx.writeFile(join(world.dir, 'fixed.xlsx'));
    const validated = await world.cli(['validate', 'fixed.xlsx']);
    expect(validated.stdout).toMatch(/\b0 errors\b/);
    expect(validated.code).toBe(0);
    const second = await world.cli(['apply', 'fixed.xlsx', '--yes']);
    expect(second.stderr).toMatch(/0 failed/);
    expect(second.code).toBe(0);
    const created = world.sandbox
      .data()
      .agents.find((agent) => agent.email === 'rafael.lima@cafedaesquina.com.br');
    expect(created).toBeDefined();
    const delivery = world.sandbox.data().departments.find((department) => department.name === 'Delivery')!;
    expect(delivery.agent_ids).toContain(created!.id);
  });
});
