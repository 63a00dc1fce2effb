import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellsByHeader, formatProblem, loadManifest } from '../../src/manifest/index.js';
import { temporaryManifests } from './support/temp-manifests.js';

const { root: rootFolder, manifest, problemLines } = temporaryManifests();

const ACCOUNTS =
  'key;email;main_contact;license_quantity;status\nacme;ti@acme.com.br;José Araújo;5;active\nbeta;ti@beta.com.br;Ana;10;\n';
const DEPARTMENTS =
  'account;name;channels\nacme;Vendas;chat|video\nACME;Suporte Técnico;\nbeta;Vendas;audio\n';
const AGENTS =
  'account;email;name;profile;departments;password\n' +
  'acme;joao@acme.com.br;João Conceição;admin;vendas, suporte técnico;S3cret!\n' +
  'acme;maria@acme.com.br;Maria;;;\n' +
  'beta;luiza@beta.com.br;Luíza;AGENT;Vendas;\n';

describe('loadManifest on a good manifest', () => {
  it('gives the Desired model, each entity with its row, references in their declared spelling', async () => {
    const folder = await manifest({
      'accounts.csv': ACCOUNTS,
      'departments.csv': DEPARTMENTS,
      'agents.csv': AGENTS,
    });
    const loaded = await loadManifest([folder], { cwd: rootFolder() });
    expect(loaded.problems).toEqual([]);
    expect(loaded.files).toEqual([
      `${folder}/accounts.csv`,
      `${folder}/agents.csv`,
      `${folder}/departments.csv`,
    ]);
    const desired = loaded.desired!;
    expect(desired.kindsPresent).toEqual({ accounts: true, departments: true, agents: true });
    expect(desired.accounts[1]).toEqual({
      key: 'beta',
      email: 'ti@beta.com.br',
      mainContact: 'Ana',
      licenseQuantity: 10,
      source: { file: `${folder}/accounts.csv`, row: 3 },
    });
    expect(
      desired.departments.map((department) => [department.account, department.name, department.channels]),
    ).toEqual([
      [{ key: 'acme' }, 'Vendas', ['chat', 'video']],
      [{ key: 'acme' }, 'Suporte Técnico', []],
      [{ key: 'beta' }, 'Vendas', ['audio']],
    ]);
    expect(desired.agents[0]).toEqual({
      account: { key: 'acme' },
      email: 'joao@acme.com.br',
      name: 'João Conceição',
      profile: 'ADMIN',
      departments: ['Vendas', 'Suporte Técnico'],
      password: 'S3cret!',
      source: { file: `${folder}/agents.csv`, row: 2 },
    });
    expect(desired.agents[1]?.departments).toEqual([]);
    expect(desired.agents[0]?.account).toBe(desired.agents[1]?.account);
    expect(Object.isFrozen(desired.agents[0]?.departments)).toBe(true);
  });

  it('leaves a column the file does not have unmanaged, and marks kinds without a file absent', async () => {
    const folder = await manifest({ 'agents.csv': 'account_id,email,name\n123,ana@x.com,Ana\n' });
    const { desired } = await loadManifest([folder], { cwd: rootFolder() });
    expect(desired?.kindsPresent).toEqual({ accounts: false, departments: false, agents: true });
    expect(desired?.agents[0]).toMatchObject({
      account: { accountId: 123 },
      departments: undefined,
      profile: undefined,
    });
  });

  it('digests the files, not the order they were named in', async () => {
    const folder = await manifest({
      'accounts.csv': ACCOUNTS,
      'departments.csv': DEPARTMENTS,
      'agents.csv': AGENTS,
    });
    const files = ['accounts.csv', 'departments.csv', 'agents.csv'].map((name) => `${folder}/${name}`);
    const forward = await loadManifest(files, { cwd: rootFolder() });
    const backward = await loadManifest([...files].reverse(), { cwd: rootFolder() });
    expect(forward.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(backward.digest).toBe(forward.digest);
    await writeFile(join(rootFolder(), folder, 'agents.csv'), AGENTS.replace('Maria', 'Mariana'));
    expect((await loadManifest(files, { cwd: rootFolder() })).digest).not.toBe(forward.digest);
  });

  it('keeps every row as written only when asked, and reports each password to onSecret', async () => {
    const folder = await manifest({
      'accounts.csv': ACCOUNTS,
      'departments.csv': DEPARTMENTS,
      'agents.csv': AGENTS,
    });
    const secrets: string[] = [];
    const kept = await loadManifest([folder], {
      cwd: rootFolder(),
      keepRows: true,
      onSecret: (value) => secrets.push(value),
    });
    const agents = kept.tables.find((table) => table.kind === 'agents')!;
    expect(agents.headers).toEqual(['account', 'email', 'name', 'profile', 'departments', 'password']);
    expect(cellsByHeader(agents, agents.rows[0]!)).toMatchObject({
      name: 'João Conceição',
      password: 'S3cret!',
    });
    expect(secrets).toEqual(['S3cret!']);
    const lean = await loadManifest([folder], { cwd: rootFolder() });
    expect(lean.tables.every((table) => table.rows.length === 0)).toBe(true);
  });

  it('keeps only the rows a keepRows function answers true for, and still validates every row', async () => {
    const folder = await manifest({
      'accounts.csv': ACCOUNTS,
      'departments.csv': DEPARTMENTS,
      'agents.csv': AGENTS,
    });
    const loaded = await loadManifest([folder], {
      cwd: rootFolder(),
      keepRows: (kind, source) => kind === 'agents' && source.row === 3,
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.desired?.agents.map((agent) => agent.email)).toEqual([
      'joao@acme.com.br',
      'maria@acme.com.br',
      'luiza@beta.com.br',
    ]);
    expect(loaded.tables.map((table) => [table.kind, table.rows.map((row) => row.cells[1])])).toEqual([
      ['accounts', []],
      ['agents', ['maria@acme.com.br']],
      ['departments', []],
    ]);
  });
});

describe('loadManifest problems', () => {
  it('reports each cell problem at its column, without stopping at the first', async () => {
    const folder = await manifest({
      'accounts.csv':
        'key;email;main_contact;license_quantity;status;fax\nacme;ti@acme;;1.234;paused;x\n;a@b.com;Ana;2;\n',
      'agents.csv':
        'account;email;name;profile;text_limit\nacme;ana@acme.com;Ana;chefe;1,5\n;bia@acme.com;Bia;;\n',
    });
    expect(await problemLines([folder])).toEqual([
      `${folder}/accounts.csv:1:fax: warning: unknown column, ignored`,
      `${folder}/accounts.csv:2:email: error: "ti@acme" is not a valid e-mail address`,
      `${folder}/accounts.csv:2:main_contact: error: a value is required`,
      `${folder}/accounts.csv:2:license_quantity: error: "1.234" is ambiguous (thousands or decimals?): write the number without separators`,
      `${folder}/accounts.csv:2:status: error: "paused" is not a status: use active, inactive or deleted (or 1/0)`,
      `${folder}/accounts.csv:3:key: error: a value is required`,
      `${folder}/agents.csv:2:profile: error: "chefe" is not a profile: use AGENT or ADMIN`,
      `${folder}/agents.csv:2:text_limit: error: "1,5" is not a whole number ≥ 0`,
      `${folder}/agents.csv:3:account: error: an account (key) or account_id is required`,
    ]);
  });

  it('reports missing and repeated columns once, not on every row', async () => {
    const folder = await manifest({
      'agents.csv': 'conta;nome;E-mail;email\nacme;Ana;a@x.com;b@x.com\nacme;Bia;c@x.com;d@x.com\n',
    });
    expect(await problemLines([`${folder}/agents.csv`])).toEqual([
      `${folder}/agents.csv:1:email: error: repeats the column "E-mail" (both are email); this one is ignored`,
      `${folder}/agents.csv:2:conta: error: account "acme" is not declared in accounts`,
      `${folder}/agents.csv:3:conta: error: account "acme" is not declared in accounts`,
    ]);
    const missing = await manifest({ 'departments.csv': 'name;status\nVendas;active\n' });
    expect(await problemLines([missing])).toEqual([
      `${missing}/departments.csv:1:account: error: missing column account (or account_id)`,
    ]);
  });

  it('names a missing required column in the location, by its own name, as CONTRACT §3 asks', async () => {
    const folder = await manifest({ 'agents.csv': 'Conta;Nome;Perfil\nacme;Ana;AGENT\n' });
    const loaded = await loadManifest([`${folder}/agents.csv`], { cwd: rootFolder() });
    expect(loaded.problems).toEqual([
      {
        severity: 'error',
        file: `${folder}/agents.csv`,
        row: 1,
        column: 'email',
        message: 'missing column email',
      },
    ]);
    expect(loaded.problems.map(formatProblem)).toEqual([
      `${folder}/agents.csv:1:email: error: missing column email`,
    ]);
  });

  it('finds duplicates, undeclared references and contradicting IDs across rows and files', async () => {
    const folder = await manifest({
      'accounts.csv':
        'key,account_id,email,main_contact,license_quantity\nacme,7,a@acme.com,Ana,1\nACME,,b@acme.com,Bia,1\nbeta,7,c@beta.com,Caio,1\n',
      'departments.csv': 'account,name\nacme,Vendas\nacme, vendas \nacme,"Vendas, Sul"\n',
      'agents.csv':
        'account,account_id,email,name,departments\nacme,,ana@acme.com,Ana,Vendas\nacme,,ANA@acme.com,Ana 2,\ngama,,g@gama.com,Gil,\nacme,8,d@acme.com,Duda,Compras\n',
    });
    expect(await problemLines([folder])).toEqual([
      `${folder}/accounts.csv:2:license_quantity: warning: 3 agents in this account, more than its license_quantity 1`,
      `${folder}/accounts.csv:3:key: error: account key "ACME" is already declared at ${folder}/accounts.csv:2`,
      `${folder}/accounts.csv:4:account_id: error: account_id 7 is already declared at ${folder}/accounts.csv:2`,
      `${folder}/agents.csv:3:email: error: e-mail "ANA@acme.com" is already declared at ${folder}/agents.csv:2`,
      `${folder}/agents.csv:4:account: error: account "gama" is not declared in accounts`,
      `${folder}/agents.csv:5:account_id: error: account_id 8 contradicts account "acme", whose account_id is 7`,
      `${folder}/agents.csv:5:departments: error: department "Compras" is not declared for account "acme"`,
      `${folder}/departments.csv:3:name: error: department "vendas" is already declared at ${folder}/departments.csv:2`,
      `${folder}/departments.csv:4:name: warning: the name holds ";", "," or "|", so no agent's departments cell can name this department`,
    ]);
  });

  it('never quotes a password, even one a missing delimiter shifted into another column', async () => {
    const folder = await manifest({
      'agents.csv':
        'account_id;email;name;profile;password\n1;ana@x.com;Hunter2Secret\n1;bia@x.com;Bia;Hunter2Secret\n1;caio@x;Caio;AGENT;caio@x\n',
    });
    const lines = await problemLines([folder]);
    expect(lines).toEqual([
      `${folder}/agents.csv:3:profile: error: "[hidden]" is not a profile: use AGENT or ADMIN`,
      `${folder}/agents.csv:4:email: error: "[hidden]" is not a valid e-mail address`,
    ]);
    expect(lines.join('\n')).not.toContain('Hunter2Secret');
  });
});

describe('loadManifest on a workbook', () => {
  it('reads its sheets by name in any case, warns about others and empty ones', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Contas').addRows([
      ['chave', 'e-mail', 'contato', 'licenças', 'ativo'],
      ['acme', 'ti@acme.com.br', 'José', '2', 1],
    ]);
    workbook.addWorksheet('Plan1').addRow(['notes']);
    workbook.addWorksheet('DEPARTMENTS');
    workbook.addWorksheet('agents').addRows([
      ['account', 'email', 'name', 'text_limit'],
      ['acme', 'ana@acme.com.br', 'Ana', { formula: 'NA()', result: { error: '#N/A' } }],
    ]);
    await workbook.xlsx.writeFile(join(rootFolder(), 'roster.xlsx'));
    const loaded = await loadManifest(['roster.xlsx'], { cwd: rootFolder() });
    expect(loaded.problems.map(formatProblem)).toEqual([
      'roster.xlsx:Plan1: warning: sheet ignored: only accounts, departments or agents are read',
      'roster.xlsx:DEPARTMENTS: warning: sheet is empty: it declares nothing',
      'roster.xlsx:agents:2:text_limit: error: the cell holds the error #N/A',
    ]);
  });

  it('names a missing required column after its sheet: FILE:SHEET:1:COLUMN', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('agents').addRows([
      ['account', 'E-mail', 'profile'],
      ['acme', 'ana@acme.com.br', 'AGENT'],
    ]);
    await workbook.xlsx.writeFile(join(rootFolder(), 'no-name.xlsx'));
    expect(await problemLines(['no-name.xlsx'])).toEqual([
      'no-name.xlsx:agents:1:name: error: missing column name',
    ]);
  });

  it('is an error when no sheet is one of the three', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1').addRow(['x']);
    await workbook.xlsx.writeFile(join(rootFolder(), 'other.xlsx'));
    expect(await problemLines(['other.xlsx'])).toEqual([
      'other.xlsx: error: has none of the sheets accounts, departments or agents',
      'other.xlsx:Sheet1: warning: sheet ignored: only accounts, departments or agents are read',
    ]);
  });
});
