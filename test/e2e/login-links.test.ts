import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { type CliRun, createDemoWorld, TOKEN, type World } from './harness.js';

/** The demo roster's agents in manifest order; the seed knows the first five only. */
const DEMO_AGENTS = [
  ['joao@padariasaojoao.com.br', 'João Conceição'],
  ['marcia.goncalves@padariasaojoao.com.br', 'Márcia Gonçalves'],
  ['antonio.brandao@padariasaojoao.com.br', 'Antônio Brandão Filho'],
  ['fernanda@oticaaraujo.com.br', 'Fernanda Araújo'],
  ['thiago.simoes@oticaaraujo.com.br', 'Thiago Simões'],
  ['lucia.pereira@oticaaraujo.com.br', 'Lúcia Pereira'],
  ['luiza@cafedaesquina.com.br', 'Luíza Câmara'],
  ['caua.ribeiro@cafedaesquina.com.br', 'Cauã Ribeiro'],
] as const;
const KNOWN_IN_SEED = 5;

/** The sandbox's JWTs: three base64url parts, the first two JSON objects (so they begin with `eyJ`). */
const JWT = 'eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+';

interface CsvRow {
  email: string;
  name: string;
  link: string;
}

/** The CSV as written: CRLF lines, the exact header, no quoting needed for these values. */
function parseCsv(text: string): { header: string; rows: CsvRow[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  const [header = '', ...lines] = text.slice(0, -2).split('\r\n');
  const rows = lines.map((line) => {
    const [email = '', name = '', link = ''] = line.split(',');
    expect(line.split(',')).toHaveLength(3);
    return { email, name, link };
  });
  return { header, rows };
}

/** The claims of the JWT in a login link. */
function claimsOf(link: string): Record<string, unknown> {
  const jwt = decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/**
 * How much later one request may reach the sandbox than another started at the same spacing:
 * the first request on a new connection, and both processes' event loops stalled by other work
 * on a 2-core machine. Measured at 10–40 ms with the machine idle and up to 110 ms with three
 * runs sharing it. At --rate 4 a window of 1000 − 200 ms still catches a gate that ignored the
 * flag (the default --rate 10 puts all eight requests within 0.8 s) or had no rate at all.
 */
const ARRIVAL_JITTER_MS = 200;

/** The most requests that arrived in any window of one second less the arrival jitter. */
function busiestSecond(requests: readonly RecordedRequest[]): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b);
  let most = 0;
  for (const [index, start] of times.entries()) {
    const inWindow = times.slice(index).filter((time) => time < start + 1000 - ARRIVAL_JITTER_MS);
    most = Math.max(most, inWindow.length);
  }
  return most;
}

/** Neither the partner token nor any JWT of the CSV on stderr; the token not on stdout either. */
function expectNoSecretLeak(run: CliRun, jwts: readonly string[]): void {
  expect(run.stdout).not.toContain(TOKEN);
  expect(run.stderr).not.toContain(TOKEN);
  for (const jwt of jwts) expect(run.stderr).not.toContain(jwt);
  expect(run.stderr).not.toMatch(new RegExp(JWT));
}

function jwtsOf(rows: readonly CsvRow[]): string[] {
  return rows
    .filter((row) => row.link !== '')
    .map((row) => new URL(row.link).searchParams.get('token') ?? '');
}

/** A roster of agents the seed knows, named by Omnize account ID (no accounts file needed). */
function writeKnownRoster(world: World): string {
  const folder = join(world.dir, 'known');
  mkdirSync(folder);
  writeFileSync(
    join(folder, 'agents.csv'),
    [
      'account_id,email,name',
      '1000,joao@padariasaojoao.com.br,João Conceição',
      '1001,fernanda@oticaaraujo.com.br,Fernanda Araújo',
      '1001,thiago.simoes@oticaaraujo.com.br,=Thiago',
    ].join('\n'),
  );
  return 'known';
}

describe('omnize-sync login-links (end to end)', () => {
  let world: World;
  beforeEach(async () => {
    world = await createDemoWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('writes one row per agent in manifest order, reports the refused ones per row and exits 3', async () => {
    const run = await world.cli(['login-links', 'demo', '--rate', '4', '--log-level', 'debug']);
    expect(run.code).toBe(3);
    const { header, rows } = parseCsv(run.stdout);
    expect(header).toBe('email,name,link');
    expect(rows.map((row) => [row.email, row.name])).toEqual(
      DEMO_AGENTS.map(([email, name]) => [email, name]),
    );
    for (const row of rows.slice(0, KNOWN_IN_SEED)) {
      expect(row.link).toMatch(new RegExp(`^https://login\\.omnize\\.com\\.br\\?token=${JWT}$`));
      expect(claimsOf(row.link).email).toBe(row.email);
    }
    for (const row of rows.slice(KNOWN_IN_SEED)) expect(row.link).toBe('');
    const refusals = run.stderr.split('\n').filter((line) => line.startsWith('demo/agents.csv:'));
    expect(refusals).toEqual([
      'demo/agents.csv:7: lucia.pereira@oticaaraujo.com.br: refused: User not found',
      'demo/agents.csv:8: luiza@cafedaesquina.com.br: refused: User not found',
      'demo/agents.csv:9: caua.ribeiro@cafedaesquina.com.br: refused: User not found',
    ]);
    expect(run.stderr).toContain('Login links: 5 of 8 agents; 3 agents have no link');
    expectNoSecretLeak(run, jwtsOf(rows));

    const requests = world.sandbox.requests;
    expect(requests).toHaveLength(DEMO_AGENTS.length);
    expect(requests.every((request) => request.method === 'POST' && request.path === '/authentication')).toBe(
      true,
    );
    const usernames = requests.map((request) => (request.body as { username: string }).username);
    expect(usernames.sort()).toEqual(DEMO_AGENTS.map(([email]) => email).sort());
    expect(busiestSecond(requests)).toBeLessThanOrEqual(4);
  });

  it('with --out writes the CSV to an owner-only file, honours --login-url, neutralises cells, and exits 0', async () => {
    const roster = writeKnownRoster(world);
    const run = await world.cli([
      'login-links',
      roster,
      '--out',
      'links.csv',
      '--login-url',
      'https://entrar.example.com.br/login',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Login links: 3 of 3 agents written to links.csv');
    const path = join(world.dir, 'links.csv');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const { header, rows } = parseCsv(readFileSync(path, 'utf8'));
    expect(header).toBe('email,name,link');
    expect(rows.map((row) => row.name)).toEqual(['João Conceição', 'Fernanda Araújo', "'=Thiago"]);
    for (const row of rows) {
      expect(row.link).toMatch(new RegExp(`^https://entrar\\.example\\.com\\.br/login\\?token=${JWT}$`));
      expect(claimsOf(row.link).email).toBe(row.email);
    }
    expectNoSecretLeak(run, jwtsOf(rows));
  });

  it('retries a transient failure, and reports an agent whose retries ran out', async () => {
    const roster = writeKnownRoster(world);
    world.sandbox.failNext('server-error', 2);
    const retried = await world.cli(['login-links', roster, '--concurrency', '1']);
    expect(retried.code).toBe(0);
    expect(parseCsv(retried.stdout).rows.every((row) => row.link !== '')).toBe(true);
    expect(world.sandbox.requests.map((request) => request.status)).toEqual([500, 500, 200, 200, 200]);

    world.sandbox.failNext('server-error');
    const exhausted = await world.cli(['login-links', roster, '--concurrency', '1', '--retries', '0']);
    expect(exhausted.code).toBe(3);
    const { rows } = parseCsv(exhausted.stdout);
    expect(rows.map((row) => row.link === '')).toEqual([true, false, false]);
    expect(exhausted.stderr).toMatch(
      /^known\/agents\.csv:2: joao@padariasaojoao\.com\.br: gave up after 1 try: POST \/authentication failed for now \(HTTP 500/m,
    );
    expectNoSecretLeak(exhausted, jwtsOf(rows));
  });

  it('stops at "Invalid token" with exit 1, sending nothing more and writing no CSV', async () => {
    const wrongToken = 'not-the-partner-token-9876';
    const run = await world.cli(['login-links', 'demo', '--concurrency', '1', '--out', 'links.csv'], {
      env: { OMNIZE_TOKEN: wrongToken },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refused the partner token ("Invalid token")');
    expect(world.sandbox.requests).toHaveLength(1);
    expect(() => statSync(join(world.dir, 'links.csv'))).toThrow();
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrongToken);
  });

  it('sends nothing for an invalid manifest or a missing token, and exits 1', async () => {
    writeFileSync(join(world.dir, 'demo', 'agents.csv'), 'account;email;name\npadaria;not-an-email;Ana\n');
    const invalid = await world.cli(['login-links', 'demo']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/demo\/agents\.csv:2:email: /);
    expect(invalid.stdout).toBe('');

    const noToken = await world.cli(['login-links', 'demo'], { env: { OMNIZE_TOKEN: '' } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('no partner token');
    expect(world.sandbox.requests).toEqual([]);
  });
});
