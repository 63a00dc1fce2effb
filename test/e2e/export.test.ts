import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDemoWorld, TOKEN, type World, writesOf } from './harness.js';

const NO_CHANGES = 'No changes. The live state matches the manifest.\n';

/** The requests the sandbox received while `run` ran. */
async function requestsDuring(world: World, run: () => Promise<unknown>) {
  const before = world.sandbox.requests.length;
  await run();
  return world.sandbox.requests.slice(before);
}

/** A cell of a `;` CSV the export wrote, row by row (the files hold no quoted line break here). */
function csvRows(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(1)
    .split('\r\n')
    .slice(0, -1)
    .map((line) => line.split(';'));
}

describe('omnize-sync export (end to end)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createDemoWorld();
    // The limits are not what is tested here: spare the shared machine the default 10 requests/s.
    world.env.OMNIZE_RATE = '100';
  });
  afterEach(async () => {
    await world.close();
  });

  describe('after the demo roster was applied (npm run demo)', () => {
    beforeEach(async () => {
      const applied = await world.cli(['apply', 'demo', '--yes']);
      expect(applied.code).toBe(0);
    });

    it('exports an XLSX workbook that validates with 0 errors and plans to "No changes"', async () => {
      let run = { code: 0 as number | null, stderr: '' };
      const requests = await requestsDuring(world, async () => {
        run = await world.cli(['export', '--out', 'roster.xlsx']);
      });
      expect(run.stderr).toContain(
        'Exported 3 accounts, 6 departments and 8 agents to roster.xlsx, with 18 GET requests.',
      );
      expect(run.stderr).toContain('Read back: 0 errors, and it plans to no change.');
      expect(run.code).toBe(0);
      // 2 GETs for each of the 3 accounts and 2 for each of their 6 departments; nothing else.
      expect(requests.map((request) => request.method)).toEqual(new Array(18).fill('GET'));
      expect(run.stderr).not.toContain(TOKEN);

      const validated = await world.cli(['validate', 'roster.xlsx']);
      expect(validated.stdout).toMatch(/0 errors/);
      expect(validated.code).toBe(0);
      const writesBefore = writesOf(world.sandbox).length;
      const planned = await world.cli(['plan', 'roster.xlsx', '--detailed-exitcode']);
      expect(planned.stdout).toBe(NO_CHANGES);
      expect(planned.code).toBe(0);
      expect(writesOf(world.sandbox)).toHaveLength(writesBefore);
    });

    it('exports a folder of Brazilian Excel CSV files that validates with 0 errors and plans to "No changes"', async () => {
      const run = await world.cli(['export', '--out', 'exported']);
      expect(run.code).toBe(0);
      expect(readdirSync(join(world.dir, 'exported')).sort()).toEqual([
        'accounts.csv',
        'agents.csv',
        'departments.csv',
      ]);
      for (const name of ['accounts.csv', 'departments.csv', 'agents.csv'])
        expect(readFileSync(join(world.dir, 'exported', name), 'utf8')).not.toContain(TOKEN);
      const accounts = csvRows(join(world.dir, 'exported', 'accounts.csv'));
      expect(accounts).toEqual([
        [
          'key',
          'account_id',
          'email',
          'main_contact',
          'telefone',
          'url',
          'license_quantity',
          'license_code',
          'status',
        ],
        [
          'cafe',
          '1002',
          'contato@cafedaesquina.com.br',
          'Luíza Câmara',
          '(31) 3222-1100',
          'www.cafedaesquina.com.br',
          '5',
          'PARTNER_X',
          'active',
        ],
        [
          'otica',
          '1001',
          'atendimento@oticaaraujo.com.br',
          'Fernanda Araújo',
          '(21) 3344-5566',
          'www.oticaaraujo.com.br',
          '4',
          '',
          'active',
        ],
        [
          'padaria',
          '1000',
          'contato@padariasaojoao.com.br',
          'João Conceição',
          '(11) 98877-6655',
          'www.padariasaojoao.com.br',
          '5',
          'PARTNER_X',
          'active',
        ],
      ]);
      const agents = csvRows(join(world.dir, 'exported', 'agents.csv'));
      expect(agents[0]).toEqual([
        'account',
        'account_id',
        'email',
        'name',
        'profile',
        'text_limit',
        'departments',
      ]);
      // Memberships in the order of the departments sheet; the text limit the state store remembers.
      expect(agents).toContainEqual([
        'padaria',
        '',
        'marcia.goncalves@padariasaojoao.com.br',
        'Márcia Gonçalves',
        'AGENT',
        '5',
        'Atendimento|Encomendas',
      ]);
      // The seeded inactive department, which the demo roster does not declare, is exported as it is.
      expect(csvRows(join(world.dir, 'exported', 'departments.csv'))).toContainEqual([
        'otica',
        '',
        'Manutenção',
        'Ajustes e consertos (desativado)',
        'inactive',
        'audio',
      ]);

      expect((await world.cli(['validate', 'exported'])).code).toBe(0);
      const planned = await world.cli(['plan', 'exported', '--detailed-exitcode']);
      expect(planned.stdout).toBe(NO_CHANGES);
      expect(planned.code).toBe(0);
    });

    it('refuses to replace an earlier export without --force, before any request, and replaces it with --force', async () => {
      expect((await world.cli(['export', '--out', 'roster.xlsx'])).code).toBe(0);
      const first = readFileSync(join(world.dir, 'roster.xlsx'));
      let refused = { code: 0 as number | null, stderr: '' };
      const requests = await requestsDuring(world, async () => {
        refused = await world.cli(['export', '--out', 'roster.xlsx']);
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        'omnize-sync: --out: roster.xlsx already exists; give --force to replace it\n',
      );
      expect(requests).toEqual([]);
      expect(readFileSync(join(world.dir, 'roster.xlsx')).equals(first)).toBe(true);
      expect((await world.cli(['export', '--out', 'roster.xlsx', '--force'])).code).toBe(0);
      expect(readdirSync(world.dir).filter((name) => name.startsWith('.omnize-export-'))).toEqual([]);
    });

    it('exports only the accounts named by --account and --account-id', async () => {
      const run = await world.cli(['export', '--out', 'one', '--account', 'cafe', '--account-id', '1001']);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('Exported 2 accounts, 4 departments and 5 agents');
      const keys = csvRows(join(world.dir, 'one', 'accounts.csv')).map((row) => row[0]);
      expect(keys).toEqual(['key', 'cafe', 'otica']);
      expect((await world.cli(['plan', 'one', '--detailed-exitcode'])).code).toBe(0);
    });
  });

  it('exports adopted accounts, whose fields the state store never learnt, by account_id, and plans to no change', async () => {
    writeFileSync(join(world.dir, 'adopt.csv'), 'key;account_id\r\npadaria;1000\r\n');
    expect((await world.cli(['state', 'adopt', '--from', 'adopt.csv'])).code).toBe(0);
    // otica is not in the state store at all: --account-id needs no state.
    const run = await world.cli([
      'export',
      '--out',
      'adopted',
      '--account',
      'padaria',
      '--account-id',
      '1001',
    ]);
    expect(run.stderr).toContain(
      'Exported 2 accounts (2 without an accounts row, named by account_id), 4 departments and 5 agents',
    );
    expect(run.code).toBe(0);
    expect(csvRows(join(world.dir, 'adopted', 'accounts.csv'))).toHaveLength(1);
    const departments = csvRows(join(world.dir, 'adopted', 'departments.csv'));
    expect(departments.slice(1).map((row) => [row[0], row[1], row[2]])).toEqual([
      ['', '1000', 'Atendimento'],
      ['', '1000', 'Encomendas'],
      ['', '1001', 'Manutenção'],
      ['', '1001', 'Vendas'],
    ]);
    const planned = await world.cli(['plan', 'adopted', '--detailed-exitcode']);
    expect(planned.stdout).toBe(NO_CHANGES);
    expect(planned.code).toBe(0);
  });

  it('refuses a key the state store does not know, before any request', async () => {
    let run = { code: 0 as number | null, stderr: '' };
    const requests = await requestsDuring(world, async () => {
      run = await world.cli(['export', '--out', 'x.xlsx', '--account', 'nobody']);
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^omnize-sync: --account nobody: the state store knows no account with this key/,
    );
    expect(requests).toEqual([]);
    expect(existsSync(join(world.dir, 'x.xlsx'))).toBe(false);
  });

  it('exits 1 and writes nothing when a read fails for good', async () => {
    const run = await world.cli(['export', '--out', 'x.xlsx', '--account-id', '4242']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^omnize-sync: reading the (agents|departments) of account 4242: .*Account not found/m,
    );
    expect(
      readdirSync(world.dir).filter((name) => name.includes('x.xlsx') || name.startsWith('.omnize')),
    ).toEqual([]);
  });

  it('is listed by --help, and lists its flags in its own --help', async () => {
    expect((await world.cli(['--help'])).stdout).toMatch(
      /omnize-sync export +write the live state as a manifest/,
    );
    const run = await world.cli(['export', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--out', '--account', '--account-id', '--force']) expect(run.stdout).toContain(flag);
  });
});
