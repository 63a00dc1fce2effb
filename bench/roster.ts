import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** Accented first names and surnames, as a Brazilian roster has them. */
const FIRST_NAMES = [
  'João',
  'Maria',
  'José',
  'Ana',
  'Antônio',
  'Francisca',
  'Conceição',
  'Sebastião',
  'Luíza',
  'Érica',
];
const SURNAMES = [
  'Araújo',
  'Gonçalves',
  'Conceição',
  'Magalhães',
  'Simões',
  'Brandão',
  'Assunção',
  'Patrício',
];
const DEPARTMENTS = ['Vendas', 'Suporte Técnico', 'Cobrança'];

export interface RosterFiles {
  xlsx: string;
  csvFolder: string;
  rows: number;
}

interface Roster {
  accounts: string[][];
  departments: string[][];
  agents: (string | number)[][];
}

const HEADERS = {
  accounts: ['key', 'email', 'main_contact', 'telefone', 'url', 'license_quantity', 'license_code', 'status'],
  departments: ['account', 'name', 'description', 'status', 'channels'],
  agents: ['account', 'email', 'name', 'profile', 'text_limit', 'departments', 'password'],
};

/**
 * A roster of `agentCount` agents over one account per 500 agents, three
 * departments each, written as one XLSX workbook (by exceljs's streaming
 * writer, with shared strings, as Excel keeps text) and as the same rows in
 * Windows-1252 `;` CSV files with CRLF line ends, as Excel in Brazil saves them.
 */
export async function writeRoster(folder: string, agentCount: number): Promise<RosterFiles> {
  const roster = buildRoster(agentCount);
  const xlsx = join(folder, 'roster.xlsx');
  await writeWorkbook(xlsx, roster);
  const csvFolder = join(folder, 'csv');
  await mkdir(csvFolder);
  for (const kind of ['accounts', 'departments', 'agents'] as const) {
    await writeCsv(join(csvFolder, `${kind}.csv`), [HEADERS[kind], ...roster[kind]]);
  }
  const rows = roster.accounts.length + roster.departments.length + roster.agents.length;
  return { xlsx, csvFolder, rows };
}

function buildRoster(agentCount: number): Roster {
  const accountCount = Math.max(1, Math.ceil(agentCount / 500));
  const accounts: string[][] = [];
  const departments: string[][] = [];
  for (let index = 0; index < accountCount; index++) {
    const key = `cliente-${index + 1}`;
    const contact = personName(index * 7);
    accounts.push([
      key,
      `contato@${key}.com.br`,
      contact,
      '11 3333-0000',
      `https://${key}.com.br`,
      '600',
      'PARTNER_X',
      'active',
    ]);
    for (const name of DEPARTMENTS)
      departments.push([key, name, `Equipe de ${name}`, 'active', 'chat;video']);
  }
  const agents: (string | number)[][] = [];
  for (let index = 0; index < agentCount; index++) {
    const key = `cliente-${(index % accountCount) + 1}`;
    const profile = index % 20 === 0 ? 'ADMIN' : 'AGENT';
    const department = DEPARTMENTS[index % DEPARTMENTS.length] ?? 'Vendas';
    agents.push([
      key,
      `agente${index + 1}@${key}.com.br`,
      personName(index),
      profile,
      50,
      department,
      `Senha-${index * 7919}`,
    ]);
  }
  return { accounts, departments, agents };
}

function personName(seed: number): string {
  const first = FIRST_NAMES[seed % FIRST_NAMES.length];
  const middle = SURNAMES[(seed >> 3) % SURNAMES.length];
  const last = SURNAMES[(seed >> 6) % SURNAMES.length];
  return `${first} ${middle} ${last} ${seed}`;
}

async function writeWorkbook(path: string, roster: Roster): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  for (const kind of ['accounts', 'departments', 'agents'] as const) {
    const sheet = workbook.addWorksheet(kind);
    sheet.addRow(HEADERS[kind]).commit();
    for (const row of roster[kind]) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
}

async function writeCsv(path: string, rows: (string | number)[][]): Promise<void> {
  const output = createWriteStream(path);
  for (const row of rows) {
    const line = `${row.map((cell) => csvCell(String(cell))).join(';')}\r\n`;
    if (!output.write(iconv.encode(line, 'win1252'))) await once(output, 'drain');
  }
  output.end();
  await once(output, 'finish');
}

function csvCell(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
