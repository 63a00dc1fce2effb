/**
 * Writes fixtures/manifests: the good roster as an XLSX workbook and as CSV
 * in each dialect Excel saves, and one broken manifest per kind of mistake.
 * Run with `npx tsx test/manifest/support/generate-fixtures.ts`; the files
 * are committed, so tests read exactly what a partner would open in Excel.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BROKEN_FOLDERS, base } from './broken-fixtures.js';
import {
  ACCOUNT_HEADERS,
  ACCOUNTS,
  AGENT_HEADERS,
  AGENTS,
  DEPARTMENT_HEADERS,
  DEPARTMENTS,
} from './roster-fixture.js';

const ROOT = new URL('../../../fixtures/manifests/', import.meta.url).pathname;

interface Dialect {
  delimiter: ',' | ';';
  encoding: 'utf8' | 'utf8-bom' | 'win1252';
  lineEnd: '\n' | '\r\n';
}

function csvText(rows: string[][], { delimiter, lineEnd }: Dialect): string {
  const cell = (text: string) =>
    text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  return rows.map((row) => row.map(cell).join(delimiter) + lineEnd).join('');
}

async function writeCsv(path: string, rows: string[][], dialect: Dialect): Promise<void> {
  const text = csvText(rows, dialect);
  const bytes =
    dialect.encoding === 'win1252'
      ? iconv.encode(text, 'win1252')
      : Buffer.concat([Buffer.from(dialect.encoding === 'utf8-bom' ? '\ufeff' : ''), Buffer.from(text)]);
  await writeFile(path, bytes);
}

async function writeCsvFolder(
  folder: string,
  files: Record<string, string[][]>,
  dialect: Dialect,
): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [name, rows] of Object.entries(files)) await writeCsv(join(folder, name), rows, dialect);
}

const EXCEL_BR: Dialect = { delimiter: ';', encoding: 'win1252', lineEnd: '\r\n' };
const UTF8_COMMA: Dialect = { delimiter: ',', encoding: 'utf8', lineEnd: '\n' };
const UTF8_BOM_SEMICOLON: Dialect = { delimiter: ';', encoding: 'utf8-bom', lineEnd: '\r\n' };

const ROSTER = {
  'accounts.csv': [ACCOUNT_HEADERS, ...ACCOUNTS],
  'departments.csv': [DEPARTMENT_HEADERS, ...DEPARTMENTS],
  'agents.csv': [AGENT_HEADERS, ...AGENTS],
};

/** The same roster with Portuguese file names, headers and `ativo` 1/0, sim/não. */
function portugueseRoster(): Record<string, string[][]> {
  const ativo = (status: string | undefined, index: number) =>
    status === 'active' ? (index % 2 === 0 ? '1' : 'sim') : index % 2 === 0 ? '0' : 'não';
  return {
    'contas.csv': [
      ['chave', 'e-mail', 'contato principal', 'telefone', 'site', 'licenças', 'código licença', 'ativo'],
      ...ACCOUNTS.map((row, index) => [...row.slice(0, 7), ativo(row[7], index)]),
    ],
    'departamentos.csv': [
      ['conta', 'nome', 'descrição', 'ativo', 'canais'],
      ...DEPARTMENTS.map((row, index) => [...row.slice(0, 3), ativo(row[3], index), row[4] ?? '']),
    ],
    'agentes.csv': [
      ['conta', 'e-mail', 'nome', 'perfil', 'limite de texto', 'departamentos', 'senha'],
      ...AGENTS,
    ],
  };
}

/** The workbook as a partner's Excel has it: a formula, rich text, links, a number typed as text, a blank row. */
async function writeRosterWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date('2024-05-02T12:00:00Z');
  workbook.modified = workbook.created;
  const accounts = workbook.addWorksheet('Accounts');
  accounts.addRow(ACCOUNT_HEADERS);
  ACCOUNTS.forEach((row, index) => {
    const cells: unknown[] = [...row];
    if (index === 0) cells[5] = { formula: '6*2', result: 12 };
    if (index === 1) cells[5] = ' 10 ';
    if (index === 2) cells[5] = 15;
    cells[4] = row[4] ? { text: row[4], hyperlink: row[4] } : '';
    accounts.addRow(cells);
  });
  const departments = workbook.addWorksheet('Departments');
  departments.addRows([DEPARTMENT_HEADERS, ...DEPARTMENTS]);
  const agents = workbook.addWorksheet('Agents');
  agents.addRow(AGENT_HEADERS);
  AGENTS.forEach((row, index) => {
    if (index === 10) agents.addRow([]);
    const cells: unknown[] = [...row];
    cells[1] = { text: row[1], hyperlink: `mailto:${row[1]}` };
    cells[4] = row[4] === '' ? '' : Number(row[4]);
    if (index === 0)
      cells[2] = { richText: [{ text: 'João ' }, { font: { bold: true }, text: 'Conceição' }] };
    agents.addRow(cells);
  });
  await workbook.xlsx.writeFile(path);
}

async function writeBroken(folder: string): Promise<void> {
  for (const [name, files] of Object.entries(BROKEN_FOLDERS))
    await writeCsvFolder(join(folder, name), files, EXCEL_BR);
  await mkdir(join(folder, 'empty-csv'), { recursive: true });
  await writeFile(join(folder, 'empty-csv', 'agents.csv'), '');
  await writeFile(join(folder, 'empty.xlsx'), '');
  await writeFile(join(folder, 'not-a-workbook.xlsx'), csvText(base()['agents.csv'] ?? [], EXCEL_BR));
  const good = await readFile(join(ROOT, 'good', 'roster.xlsx'));
  await writeFile(join(folder, 'truncated.xlsx'), good.subarray(0, Math.floor(good.length / 2)));
  await writeFormulaErrors(join(folder, 'formula-errors.xlsx'));
}

/** Cells whose formulas give an error or were never calculated, and an extra sheet. */
async function writeFormulaErrors(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Instruções').addRow(['Preencha as abas accounts e agents.']);
  workbook.addWorksheet('accounts').addRows([
    ['key', 'email', 'main_contact', 'license_quantity'],
    [
      'padaria-sao-joao',
      'ti@padariasaojoao.com.br',
      'Conceição Araújo',
      { formula: 'VLOOKUP("x",A1:A2,2,FALSE)', result: { error: '#N/A' } },
    ],
  ]);
  workbook.addWorksheet('agents').addRows([
    ['account', 'email', 'name'],
    ['padaria-sao-joao', 'joao@padariasaojoao.com.br', { formula: 'PROPER("joão")' }],
  ]);
  await workbook.xlsx.writeFile(path);
}

async function main(): Promise<void> {
  await rm(ROOT, { recursive: true, force: true });
  const good = join(ROOT, 'good');
  await mkdir(good, { recursive: true });
  await writeRosterWorkbook(join(good, 'roster.xlsx'));
  await writeCsvFolder(join(good, 'csv-utf8-comma'), ROSTER, UTF8_COMMA);
  await writeCsvFolder(join(good, 'csv-cp1252-semicolon'), ROSTER, EXCEL_BR);
  await writeCsvFolder(join(good, 'csv-utf8-bom-semicolon'), ROSTER, UTF8_BOM_SEMICOLON);
  await writeCsvFolder(join(good, 'csv-portuguese'), portugueseRoster(), UTF8_BOM_SEMICOLON);
  await writeBroken(join(ROOT, 'broken'));
}

await main();
