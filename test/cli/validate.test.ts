import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

const PROJECT = new URL('../../', import.meta.url).pathname;
const GOOD = 'fixtures/manifests/good';
const BROKEN = 'fixtures/manifests/broken';

/** Runs the CLI in this process from the project folder, as a partner runs it from a checkout. */
async function validate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  stdout.on('data', (chunk) => {
    chunks.stdout += chunk;
  });
  stderr.on('data', (chunk) => {
    chunks.stderr += chunk;
  });
  const code = await runCli(['validate', ...args], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: PROJECT,
  });
  return { code, ...chunks };
}

const lines = (...items: string[]) => `${items.join('\n')}\n`;

describe('omnize-sync validate on the good roster', () => {
  it.each([
    [`${GOOD}/roster.xlsx`, '0 errors, 0 warnings in 1 file'],
    [`${GOOD}/csv-utf8-comma`, '0 errors, 0 warnings in 3 files'],
    [`${GOOD}/csv-cp1252-semicolon`, '0 errors, 0 warnings in 3 files'],
    [`${GOOD}/csv-utf8-bom-semicolon`, '0 errors, 0 warnings in 3 files'],
    [`${GOOD}/csv-portuguese`, '0 errors, 0 warnings in 3 files'],
  ])('%s is valid', async (path, summary) => {
    expect(await validate(path)).toEqual({ code: 0, stdout: lines(summary), stderr: '' });
  });

  it('takes CSV files named one by one', async () => {
    const folder = `${GOOD}/csv-utf8-comma`;
    const result = await validate(
      `${folder}/agents.csv`,
      `${folder}/accounts.csv`,
      `${folder}/departments.csv`,
    );
    expect(result).toEqual({ code: 0, stdout: lines('0 errors, 0 warnings in 3 files'), stderr: '' });
  });
});

describe('omnize-sync validate on broken manifests', () => {
  const cases: [string, number, string[]][] = [
    [
      'missing-column',
      1,
      [
        `${BROKEN}/missing-column/agents.csv:1:email: error: missing column email`,
        '1 error, 0 warnings in 3 files',
      ],
    ],
    [
      'missing-value',
      1,
      [
        `${BROKEN}/missing-value/accounts.csv:3:email: error: a value is required`,
        `${BROKEN}/missing-value/agents.csv:4:name: error: a value is required`,
        '2 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'bad-email',
      1,
      [
        `${BROKEN}/bad-email/agents.csv:4:email: error: "jose.assuncao@padariasaojoao" is not a valid e-mail address`,
        `${BROKEN}/bad-email/agents.csv:5:email: error: "erica goncalves@padariasaojoao.com.br" is not a valid e-mail address`,
        '2 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'bad-number',
      1,
      [
        `${BROKEN}/bad-number/accounts.csv:2:license_quantity: error: "1.234" is ambiguous (thousands or decimals?): write the number without separators`,
        `${BROKEN}/bad-number/accounts.csv:3:license_quantity: error: "2,5" is not a whole number ≥ 0`,
        `${BROKEN}/bad-number/accounts.csv:4:license_quantity: error: "-1" is negative; a whole number ≥ 0 is expected`,
        `${BROKEN}/bad-number/agents.csv:2:text_limit: error: "dez" is not a whole number ≥ 0`,
        '4 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'unknown-vocabulary',
      1,
      [
        `${BROKEN}/unknown-vocabulary/accounts.csv:2:status: error: "suspenso" is not a status: use active, inactive or deleted (or 1/0)`,
        `${BROKEN}/unknown-vocabulary/agents.csv:4:profile: error: "Supervisor" is not a profile: use AGENT or ADMIN`,
        `${BROKEN}/unknown-vocabulary/departments.csv:3:channels: error: "whatsapp" is not a channel: use chat, video or audio`,
        '3 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'duplicates',
      1,
      [
        `${BROKEN}/duplicates/accounts.csv:3:key: error: account key "Padaria-Sao-Joao" is already declared at ${BROKEN}/duplicates/accounts.csv:2`,
        `${BROKEN}/duplicates/agents.csv:4:email: error: e-mail "JOAO@padariasaojoao.com.br" is already declared at ${BROKEN}/duplicates/agents.csv:2`,
        `${BROKEN}/duplicates/departments.csv:3:name: error: department "atendimento" is already declared at ${BROKEN}/duplicates/departments.csv:2`,
        '3 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'undeclared',
      1,
      [
        `${BROKEN}/undeclared/agents.csv:4:departments: error: department "Confeitaria" is not declared for account "padaria-sao-joao"`,
        `${BROKEN}/undeclared/agents.csv:5:account: error: account "clinica-bem-estar" is not declared in accounts`,
        '2 errors, 0 warnings in 3 files',
      ],
    ],
    [
      'license-warning',
      0,
      [
        `${BROKEN}/license-warning/accounts.csv:1:observações: warning: unknown column, ignored`,
        `${BROKEN}/license-warning/accounts.csv:2:license_quantity: warning: 2 agents in this account, more than its license_quantity 1`,
        '0 errors, 2 warnings in 3 files',
      ],
    ],
    [
      'formula-errors.xlsx',
      1,
      [
        `${BROKEN}/formula-errors.xlsx:Instruções: warning: sheet ignored: only accounts, departments or agents are read`,
        `${BROKEN}/formula-errors.xlsx:accounts:2:license_quantity: error: the cell holds the error #N/A`,
        `${BROKEN}/formula-errors.xlsx:agents:2:name: error: the formula has no saved result: open and save the file in Excel`,
        '2 errors, 1 warning in 1 file',
      ],
    ],
  ];

  it.each(cases)('%s', async (name, code, expected) => {
    expect(await validate(`${BROKEN}/${name}`)).toEqual({ code, stdout: lines(...expected), stderr: '' });
  });
});

describe('omnize-sync validate on files it cannot read', () => {
  it.each([
    ['missing.xlsx', 'error: does not exist'],
    ['truncated.xlsx', 'error: is damaged: the end of the zip archive is missing (truncated?)'],
    ['not-a-workbook.xlsx', 'error: is not an XLSX workbook (not a zip archive)'],
    ['empty.xlsx', 'error: is empty'],
  ])('%s: one line naming the file, exit 1', async (name, message) => {
    expect(await validate(`${BROKEN}/${name}`)).toEqual({
      code: 1,
      stdout: lines(`${BROKEN}/${name}: ${message}`, '1 error, 0 warnings in 1 file'),
      stderr: '',
    });
  });

  it('an empty CSV file', async () => {
    expect(await validate(`${BROKEN}/empty-csv`)).toEqual({
      code: 1,
      stdout: lines(`${BROKEN}/empty-csv/agents.csv: error: is empty`, '1 error, 0 warnings in 1 file'),
      stderr: '',
    });
  });

  it('a CSV row with more fields than the header, without echoing the shifted password', async () => {
    const result = await validate(`${BROKEN}/ragged-csv`);
    expect(result).toEqual({
      code: 1,
      stdout: lines(
        `${BROKEN}/ragged-csv/agents.csv:4: error: this row has 7 fields but the header has 6: a ";" in a value without quotes? The rest of the file is not read`,
        '1 error, 0 warnings in 3 files',
      ),
      stderr: '',
    });
    expect(result.stdout).not.toContain('Broa#7');
  });
});

describe('omnize-sync validate --json', () => {
  it('prints the problems as a JSON array and nothing else', async () => {
    const { code, stdout } = await validate(`${BROKEN}/undeclared`, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([
      {
        severity: 'error',
        file: `${BROKEN}/undeclared/agents.csv`,
        row: 4,
        column: 'departments',
        message: 'department "Confeitaria" is not declared for account "padaria-sao-joao"',
      },
      {
        severity: 'error',
        file: `${BROKEN}/undeclared/agents.csv`,
        row: 5,
        column: 'account',
        message: 'account "clinica-bem-estar" is not declared in accounts',
      },
    ]);
  });

  it('gives a missing column its canonical name in the column field', async () => {
    const { code, stdout } = await validate(`${BROKEN}/missing-column`, '--json');
    expect([code, JSON.parse(stdout)]).toEqual([
      1,
      [
        {
          severity: 'error',
          file: `${BROKEN}/missing-column/agents.csv`,
          row: 1,
          column: 'email',
          message: 'missing column email',
        },
      ],
    ]);
  });

  it('prints [] for a valid manifest, exit 0', async () => {
    const { code, stdout } = await validate(`${GOOD}/roster.xlsx`, '--json');
    expect([code, JSON.parse(stdout)]).toEqual([0, []]);
  });
});

describe('the built omnize-sync validate', () => {
  it('ends a truncated workbook with exit 1 and one line about it, no stack trace', async () => {
    const bin = new URL('../../bin/omnize-sync.js', import.meta.url).pathname;
    const failure = await promisify(execFile)(
      process.execPath,
      [bin, 'validate', `${BROKEN}/truncated.xlsx`],
      {
        cwd: PROJECT,
      },
    ).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toBe('');
    expect(failure?.stdout.split('\n')).toEqual([
      `${BROKEN}/truncated.xlsx: error: is damaged: the end of the zip archive is missing (truncated?)`,
      '1 error, 0 warnings in 1 file',
      '',
    ]);
  });
});
