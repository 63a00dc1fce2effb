import { describe, expect, it } from 'vitest';
import {
  type HandBack,
  loadManifest,
  type ManifestTable,
  readRowsToHandBack,
  rowsToHandBack,
} from '../../src/manifest/index.js';
import { temporaryManifests } from './support/temp-manifests.js';

const { root: rootFolder, manifest } = temporaryManifests();

const file = 'roster.xlsx';
const table = (kind: ManifestTable['kind'], sheet: string, headers: string[], rows: string[][]) => ({
  kind,
  file,
  sheet,
  headers,
  rows: rows.map((cells, index) => ({ source: { file, sheet, row: index + 2 }, cells })),
});

describe('rowsToHandBack', () => {
  const tables: ManifestTable[] = [
    table(
      'accounts',
      'Contas',
      ['chave', 'e-mail', 'contato', 'licenças', 'senha'],
      [
        ['acme', 'ti@acme.com.br', 'João', '10', 'conta-secreta'],
        ['beta', 'ti@beta.com.br', 'Maria', '5', ''],
      ],
    ),
    table(
      'departments',
      'Departamentos',
      ['conta', 'nome'],
      [
        ['ACME', 'Suporte'],
        ['acme', 'Vendas'],
        ['beta', 'Suporte'],
      ],
    ),
    table(
      'agents',
      'Agentes',
      ['conta', 'e-mail', 'nome', 'departamentos', 'senha'],
      [
        ['acme', 'ana@acme.com.br', 'Ana', ' suporte ', 'agente-secreta'],
        ['beta', 'bia@beta.com.br', 'Bia', '', ''],
      ],
    ),
  ];

  it('gives the failed rows and the rows they refer to, in the manifest’s sheets and columns', () => {
    const handBack = rowsToHandBack(tables, [
      { source: { file, sheet: 'Agentes', row: 2 }, error: 'agent.create: taken' },
      { source: { file, sheet: 'Agentes', row: 9 }, error: 'agent.create: no such row' },
    ]);
    expect(handBack.rejected).toBe(1);
    expect(
      handBack.sheets.map(({ name, headers, passwordColumns, errorColumn, rows }) => ({
        name,
        headers,
        passwordColumns,
        errorColumn,
        rows: [...rows],
      })),
    ).toEqual([
      {
        name: 'Contas',
        headers: ['chave', 'e-mail', 'contato', 'licenças', 'senha', 'error'],
        passwordColumns: [4],
        errorColumn: 5,
        rows: [['acme', 'ti@acme.com.br', 'João', '10', 'conta-secreta', '']],
      },
      {
        name: 'Departamentos',
        headers: ['conta', 'nome', 'error'],
        passwordColumns: [],
        errorColumn: 2,
        rows: [['ACME', 'Suporte', '']],
      },
      {
        name: 'Agentes',
        headers: ['conta', 'e-mail', 'nome', 'departamentos', 'senha', 'error'],
        passwordColumns: [4],
        errorColumn: 5,
        rows: [['acme', 'ana@acme.com.br', 'Ana', ' suporte ', 'agente-secreta', 'agent.create: taken']],
      },
    ]);
  });

  it('makes the rows afresh each time they are read, so a writer can go over them again', () => {
    const [sheet] = rowsToHandBack(tables, [
      { source: { file, sheet: 'Contas', row: 3 }, error: 'account.create: refused' },
    ]).sheets;
    expect([...sheet!.rows]).toEqual([
      ['beta', 'ti@beta.com.br', 'Maria', '5', '', 'account.create: refused'],
    ]);
    expect([...sheet!.rows]).toEqual([...sheet!.rows]);
  });
});

/** The sheets with their rows read out, to compare two hand-backs. */
const readOut = (handBack: HandBack) => handBack.sheets.map((sheet) => ({ ...sheet, rows: [...sheet.rows] }));

describe('readRowsToHandBack', () => {
  it('reads the manifest again and hands back what rowsToHandBack gives from every row', async () => {
    const folder = await manifest({
      'accounts.csv': 'key;email;main_contact;license_quantity\nacme;ti@acme.com.br;Ana;5\n',
      'departments.csv': 'account;name\nacme;Vendas\nacme;Suporte\n',
      'agents.csv': 'account;email;name;departments\nacme;a@acme.com.br;A;\nacme;b@acme.com.br;B;Suporte\n',
    });
    const errors = [{ source: { file: `${folder}/agents.csv`, row: 3 }, error: 'agent.create: taken' }];
    const read = await readRowsToHandBack([folder], errors, { cwd: rootFolder() });
    const agents = read.handBack.sheets.find((sheet) => sheet.kind === 'agents');
    expect(read.handBack.rejected).toBe(1);
    expect(read.handBack.sheets.map((sheet) => [sheet.kind, [...sheet.rows]])).toEqual([
      ['accounts', [['acme', 'ti@acme.com.br', 'Ana', '5', '']]],
      ['departments', [['acme', 'Suporte', '']]],
      ['agents', [['acme', 'b@acme.com.br', 'B', 'Suporte', 'agent.create: taken']]],
    ]);
    expect(agents?.headers).toEqual(['account', 'email', 'name', 'departments', 'error']);
    const everyRow = await loadManifest([folder], { cwd: rootFolder(), keepRows: true });
    expect(read.digest).toBe(everyRow.digest);
    expect(readOut(read.handBack)).toEqual(readOut(rowsToHandBack(everyRow.tables, errors)));
  });
});
