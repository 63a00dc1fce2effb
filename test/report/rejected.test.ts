import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../src/log/redact.js';
import {
  loadManifest,
  type ManifestTable,
  readRowsToHandBack,
  rowsToHandBack,
} from '../../src/manifest/index.js';
import {
  ERROR_COLUMN_NOTE,
  PASSWORD_COLUMN_NOTE,
  rowErrors,
  writeRejectedWorkbook,
} from '../../src/report/rejected.js';
import type { ResultRow } from '../../src/report/results.js';
import { resultRow } from './sample-run.js';

const PASSWORD = 'Segredo-Forte-2026';

/** A CSV manifest as a partner in Brazil writes it: Portuguese headers, accents, a phone with +. */
function writeCsvManifest(folder: string): string[] {
  const files = {
    'accounts.csv': [
      'Chave;E-mail;Contato;Telefone;Licenças;Senha',
      `acme;ti@acme.com.br;João Ávila;+55 11 3333-0000;10;${PASSWORD}`,
      'beta;ti@beta.com.br;Maria Souza;;5;',
    ],
    'departments.csv': [
      'Conta;Nome;Descrição;Canais',
      'acme;Suporte;"=HYPERLINK(""http://x"",""clique"")";chat',
      'acme;Vendas;Equipe de vendas;chat|video',
      'beta;Financeiro;;audio',
    ],
    'agents.csv': [
      'Conta;E-mail;Nome;Departamentos;Senha',
      `acme;ana@acme.com.br;Ana Conceição;Suporte, Vendas;${PASSWORD}`,
      `acme;bia@acme.com.br;@bia;Vendas;${PASSWORD}`,
      'beta;caio@beta.com.br;Caio;Financeiro;',
      'acme;davi@acme.com.br;Davi;;',
    ],
  };
  for (const [name, lines] of Object.entries(files))
    writeFileSync(join(folder, name), `${lines.join('\r\n')}\r\n`);
  return Object.keys(files).map((name) => join(folder, name));
}

/** Every cell value and note of every sheet, as exceljs reads the file back. */
async function everyCell(path: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const texts: string[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        texts.push(String(cell.value));
        if (cell.note !== undefined) texts.push(JSON.stringify(cell.note));
      }),
    ),
  );
  return texts;
}

function rowsOf(table: ManifestTable | undefined): string[][] {
  return (table?.rows ?? []).map((row) => table!.headers.map((_, index) => row.cells[index] ?? ''));
}

describe('rejected.xlsx from a CSV manifest', () => {
  async function roundTrip(results: (files: string[]) => ResultRow[]) {
    const folder = mkdtempSync(join(tmpdir(), 'omnize-rejected-'));
    const files = writeCsvManifest(folder);
    const manifest = await loadManifest(files, { keepRows: true });
    expect(manifest.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const rows = await readRowsToHandBack(files, rowErrors(results(files)));
    expect(rows.digest).toBe(manifest.digest);
    const written = await writeRejectedWorkbook(folder, rows.handBack);
    const path = join(folder, 'rejected.xlsx');
    const back = written ? await loadManifest([path], { keepRows: true }) : undefined;
    return { written, path, back, files };
  }

  const source = (file: string, row: number) => ({ file, row });

  it('hands back the failed rows with every error, and the rows they refer to, as a manifest that validates', async () => {
    const { written, back, path } = await roundTrip((files) => [
      resultRow('account.create', 'acme', 'acme', 'ok', { source: source(files[0]!, 2) }),
      resultRow('agent.create', 'acme', 'bia@acme.com.br', 'failed', {
        error: 'E-mail has already been taken',
        source: source(files[2]!, 3),
      }),
      resultRow('agent.set_profile', 'acme', 'bia@acme.com.br', 'skipped', {
        error: 'agent.create#7 failed',
        source: source(files[2]!, 3),
      }),
      resultRow('department.add_agents', 'acme', 'Suporte', 'failed', {
        error: '1 of 2 agents not added to Suporte: ana@acme.com.br: Agent not found',
        source: source(files[1]!, 2),
        memberFailures: [
          { label: 'ana@acme.com.br', error: 'Agent not found', source: source(files[2]!, 2) },
        ],
      }),
      resultRow('agent.create', 'beta', 'caio@beta.com.br', 'ok', { source: source(files[2]!, 4) }),
    ]);
    expect(written).toBe(true);
    expect(back!.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(back!.desired).toBeDefined();
    expect(back!.tables.map((table) => [table.sheet, table.kind])).toEqual([
      ['accounts', 'accounts'],
      ['departments', 'departments'],
      ['agents', 'agents'],
    ]);
    const [accounts, departments, agents] = back!.tables;
    expect(accounts!.headers).toEqual([
      'Chave',
      'E-mail',
      'Contato',
      'Telefone',
      'Licenças',
      'Senha',
      'error',
    ]);
    expect(rowsOf(accounts)).toEqual([
      ['acme', 'ti@acme.com.br', 'João Ávila', '+55 11 3333-0000', '10', '', ''],
    ]);
    expect(departments!.headers).toEqual(['Conta', 'Nome', 'Descrição', 'Canais', 'error']);
    expect(rowsOf(departments)).toEqual([
      ['acme', 'Suporte', `=HYPERLINK("http://x","clique")`, 'chat', ''],
      ['acme', 'Vendas', 'Equipe de vendas', 'chat|video', ''],
    ]);
    expect(agents!.headers).toEqual(['Conta', 'E-mail', 'Nome', 'Departamentos', 'Senha', 'error']);
    expect(rowsOf(agents)).toEqual([
      [
        'acme',
        'ana@acme.com.br',
        'Ana Conceição',
        'Suporte, Vendas',
        '',
        'department.add_agents Suporte: Agent not found',
      ],
      [
        'acme',
        'bia@acme.com.br',
        '@bia',
        'Vendas',
        '',
        'agent.create: E-mail has already been taken; agent.set_profile: skipped (agent.create#7 failed)',
      ],
    ]);
    const cells = await everyCell(path);
    // In the file itself every formula-looking cell is neutralised; the manifest reader restores it.
    for (const value of ['+55 11 3333-0000', '=HYPERLINK("http://x","clique")', '@bia']) {
      expect(cells).toContain(`'${value}`);
      expect(cells).not.toContain(value);
    }
    expect(cells.filter((text) => text.includes(PASSWORD))).toEqual([]);
    expect(cells.filter((text) => /^[=+\-@]/.test(text))).toEqual([]);
    expect(cells.join('\n')).toContain(JSON.stringify(PASSWORD_COLUMN_NOTE));
    expect(cells.join('\n')).toContain(JSON.stringify(ERROR_COLUMN_NOTE));
  });

  it('writes nothing when every action worked, or no failure can be placed on a row', async () => {
    const allWell = await roundTrip((files) => [
      resultRow('agent.create', 'acme', 'davi@acme.com.br', 'ok', { source: source(files[2]!, 5) }),
    ]);
    expect(allWell.written).toBe(false);
    expect(existsSync(allWell.path)).toBe(false);
    const nowhere = await roundTrip((files) => [
      resultRow('agent.create', 'acme', 'x@acme.com.br', 'failed', { error: 'no row' }),
      resultRow('agent.create', 'acme', 'y@acme.com.br', 'failed', { source: source(files[2]!, 99) }),
      resultRow('agent.create', 'acme', 'z@acme.com.br', 'failed', { source: source('other.csv', 2) }),
      { outcome: 'failed' } as unknown as ResultRow,
    ]);
    expect(nowhere.written).toBe(false);
    expect(existsSync(nowhere.path)).toBe(false);
  });

  it('hands back unknown outcomes, and masks a registered secret an error echoes', async () => {
    const token = 'partner-token-77aa13';
    registerSecret(token);
    const { back } = await roundTrip((files) => [
      resultRow('agent.create', 'acme', 'davi@acme.com.br', 'unknown', {
        error: `timed out (token ${token})`,
        source: source(files[2]!, 5),
      }),
    ]);
    expect(rowsOf(back!.tables[0])).toEqual([
      ['acme', 'ti@acme.com.br', 'João Ávila', '+55 11 3333-0000', '10', '', ''],
    ]);
    expect(rowsOf(back!.tables[1])).toEqual([
      [
        'acme',
        'davi@acme.com.br',
        'Davi',
        '',
        '',
        'agent.create: outcome unknown (timed out (token [REDACTED]))',
      ],
    ]);
  });
});

describe('rejected.xlsx from tables built by hand', () => {
  const file = 'roster.xlsx';
  const at = (sheet: string, row: number) => ({ file, sheet, row });
  const table = (
    kind: ManifestTable['kind'],
    sheet: string,
    headers: string[],
    rows: string[][],
    name = file,
  ): ManifestTable => ({
    kind,
    file: name,
    ...(name.endsWith('.csv') ? {} : { sheet }),
    headers,
    rows: rows.map((cells, index) => ({
      source: name.endsWith('.csv') ? { file: name, row: index + 2 } : { file: name, sheet, row: index + 2 },
      cells,
    })),
  });

  async function write(tables: ManifestTable[], results: ResultRow[]) {
    const folder = mkdtempSync(join(tmpdir(), 'omnize-rejected-'));
    const written = await writeRejectedWorkbook(folder, rowsToHandBack(tables, rowErrors(results)));
    expect(written).toBe(true);
    const back = await loadManifest([join(folder, 'rejected.xlsx')], { keepRows: true });
    expect(back.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    return back;
  }

  it("keeps an XLSX manifest's sheet names, follows account_id references, and reuses its own error column", async () => {
    const tables = [
      table(
        'accounts',
        'Contas',
        ['key', 'account_id', 'email', 'main_contact', 'license_quantity'],
        [
          ['acme', '123', 'ti@acme.com.br', 'João', '10'],
          ['beta', '', 'ti@beta.com.br', 'Maria', '5'],
        ],
      ),
      table(
        'departments',
        'Departamentos',
        ['account_id', 'name', 'error'],
        [
          ['123', 'Suporte', 'department.create: old error from an earlier run'],
          ['123', 'Vendas', ''],
        ],
      ),
      table(
        'agents',
        'Agentes',
        ['account_id', 'email', 'name', 'departments', 'password'],
        [
          ['123', 'ana@acme.com.br', 'Ana', 'suporte', PASSWORD],
          ['999', 'zeca@other.com.br', 'Zeca', '', PASSWORD],
        ],
      ),
    ];
    const back = await write(tables, [
      resultRow('agent.update', 'acme', 'ana@acme.com.br', 'failed', {
        error: 'Name is invalid',
        source: at('Agentes', 2),
      }),
      resultRow('agent.create', '#999', 'zeca@other.com.br', 'failed', {
        error: '-1 is not an account',
        source: at('Agentes', 3),
      }),
    ]);
    expect(back.tables.map((each) => each.sheet)).toEqual(['Contas', 'Departamentos', 'Agentes']);
    expect(rowsOf(back.tables[0])).toEqual([['acme', '123', 'ti@acme.com.br', 'João', '10', '']]);
    expect(back.tables[1]!.headers).toEqual(['account_id', 'name', 'error']);
    expect(rowsOf(back.tables[1])).toEqual([['123', 'Suporte', '']]);
    expect(rowsOf(back.tables[2])).toEqual([
      ['123', 'ana@acme.com.br', 'Ana', 'suporte', '', 'agent.update: Name is invalid'],
      ['999', 'zeca@other.com.br', 'Zeca', '', '', 'agent.create: -1 is not an account'],
    ]);
  });

  it('puts several CSV files of one kind on one sheet, matching columns by field', async () => {
    const tables = [
      table(
        'accounts',
        '',
        ['key', 'email', 'main_contact', 'license_quantity'],
        [['acme', 'a@acme.com.br', 'A', '9']],
        'accounts.csv',
      ),
      table(
        'agents',
        '',
        ['account', 'email', 'name'],
        [['acme', 'ana@acme.com.br', 'Ana']],
        'agents-sp.csv',
      ),
      table(
        'agents',
        '',
        ['E-mail', 'Nome', 'Conta', 'Perfil', 'Apelido'],
        [['bia@acme.com.br', 'Bia', 'ACME', 'ADMIN', 'bibi']],
        'agents-rj.csv',
      ),
    ];
    const back = await write(tables, [
      resultRow('agent.create', 'acme', 'ana@acme.com.br', 'failed', {
        error: 'x',
        source: { file: 'agents-sp.csv', row: 2 },
      }),
      resultRow('agent.create', 'acme', 'bia@acme.com.br', 'failed', {
        error: 'y',
        source: { file: 'agents-rj.csv', row: 2 },
      }),
    ]);
    expect(back.tables.map((each) => each.sheet)).toEqual(['accounts', 'agents']);
    expect(back.tables[1]!.headers).toEqual(['account', 'email', 'name', 'Perfil', 'Apelido', 'error']);
    expect(rowsOf(back.tables[1])).toEqual([
      ['acme', 'ana@acme.com.br', 'Ana', '', '', 'agent.create: x'],
      ['ACME', 'bia@acme.com.br', 'Bia', 'ADMIN', 'bibi', 'agent.create: y'],
    ]);
  });
});

describe('rejected.xlsx for many rows', () => {
  it('lets the compressor run while rows are written, so they do not pile up in memory', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rejected-many-'));
    const headers = ['account', 'email', 'error'];
    let rowsPulled = 0;
    let turnsOfTheLoop = 0;
    const tick = () => {
      turnsOfTheLoop += 1;
      if (rowsPulled < 2_000) setImmediate(tick);
    };
    setImmediate(tick);
    function* rows(): Generator<string[]> {
      for (; rowsPulled < 2_000; rowsPulled += 1) {
        yield ['acme', `agent${rowsPulled}@acme.com.br`, `agent.create: failed ${rowsPulled}`];
      }
    }
    const sheet = { kind: 'agents' as const, name: 'agents', headers, passwordColumns: [], errorColumn: 2 };
    await writeRejectedWorkbook(folder, { rejected: 2_000, sheets: [{ ...sheet, rows: rows() }] });
    // A writer that never yields would let the loop turn once or twice before commit.
    expect(turnsOfTheLoop).toBeGreaterThan(10);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(folder, 'rejected.xlsx'));
    expect(workbook.getWorksheet('agents')!.rowCount).toBe(2_001);
  });
});
