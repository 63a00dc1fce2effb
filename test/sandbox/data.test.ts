import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxDataError, startSandbox } from '../../src/sandbox/index.js';
import { clientFor, digestOf, PASSWORD, sandboxFor, TOKEN, WORLD } from './helpers.js';

const DEMO = new URL('../../fixtures/sandbox/demo.json', import.meta.url).pathname;

// One parent folder for the whole file, removed at the end: each sandbox still writes its data file when the helpers stop it after a test.
let parent: string;
let folder: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'omnize-sandbox-'));
});
beforeEach(async () => {
  folder = await mkdtemp(join(parent, 'test-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('sandbox data', () => {
  it('--data: a missing file starts empty and is written on stop, atomically (no temporary file left)', async () => {
    const file = join(folder, 'sandbox.json');
    const sandbox = await sandboxFor({ data: file });
    const client = clientFor(sandbox);
    const account = await client.post('/accounts', {
      license_quantity: 2,
      account: { email: 'a@b.com.br', main_contact: 'Zé' },
    });
    await client.post('/agents', {
      agent: { email: 'c@b.com.br', name: 'Cê', password: PASSWORD, account_id: account.body.data.id },
    });
    await sandbox.stop();
    expect(await readdir(folder)).toEqual(['sandbox.json']);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toEqual(sandbox.data());
    expect(saved.accounts[0]).toMatchObject({ id: 1000, main_contact: 'Zé', license_quantity: 2 });
    expect(saved.agents[0]).toMatchObject({ id: 10000, email: 'c@b.com.br', password_sha256: PASSWORD });
  });

  it('--data: an existing file is loaded at start (over the seed) and new ids continue above it', async () => {
    const file = join(folder, 'sandbox.json');
    await writeFile(file, JSON.stringify(WORLD));
    const sandbox = await sandboxFor({ data: file, seed: { accounts: [] } });
    const client = clientFor(sandbox);
    expect((await client.get('/agents', { account_id: 1001 })).body.data[0]).toMatchObject({
      name: 'Bruno Sá',
    });
    const created = await client.post('/departments', { department: { account_id: 1001, name: 'Suporte' } });
    expect(created.body.data[0].id).toBe(501);
    await sandbox.save();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.departments.map((department: { name: string }) => department.name)).toEqual([
      'Vendas',
      'Suporte',
    ]);
  });

  it('the demo fixture loads, with its accented names and memberships', async () => {
    const demo = JSON.parse(await readFile(DEMO, 'utf8'));
    // As a seed, not as --data: the sandbox would write the fixture back on stop.
    const sandbox = await sandboxFor({ seed: demo });
    const client = clientFor(sandbox);
    const agents = await client.get('/departments/500/agents');
    expect(agents.body.data.map((agent: { name: string }) => agent.name)).toEqual([
      'Márcia Gonçalves',
      'Antônio Brandão',
    ]);
    const departments = await client.get('/departments', { account_id: 1001 });
    expect(departments.body.data.map((department: { name: string }) => department.name)).toEqual([
      'Vendas',
      'Manutenção',
    ]);
    // The fixture is complete: the sandbox holds it exactly, with nothing defaulted.
    expect(sandbox.data()).toEqual(demo);
  });

  it('a data set that breaks the rules is refused with every problem listed, and never echoes a digest', async () => {
    const file = join(folder, 'broken.json');
    const leaked = digestOf('segredo').toUpperCase();
    await writeFile(
      file,
      JSON.stringify({
        accounts: [{ id: 1, email: 'a@b.com', main_contact: 'A', password_sha256: leaked }],
        agents: [
          { id: 5, account_id: 1, email: 'x@b.com', name: 'X' },
          { id: 6, account_id: 2, email: 'X@B.com', name: 'Y', administrator: 'YES' },
        ],
        departments: [{ id: 9, account_id: 1, name: 'D', channels: ['fax'], agent_ids: [6] }],
      }),
    );
    const failure = await startSandbox({ token: TOKEN, data: file }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SandboxDataError);
    const message = (failure as Error).message;
    for (const problem of [
      'accounts[0].password_sha256',
      'agents[1].administrator',
      'duplicate agent e-mail: x@b.com',
      'account 2',
      'departments[0].channels',
      'agent 6 is not an agent of account 1',
    ]) {
      expect(message).toContain(problem);
    }
    expect(message).not.toContain(leaked);
  });

  it('a file that is not JSON is refused, naming the file', async () => {
    const file = join(folder, 'not-json.json');
    await writeFile(file, '{ accounts: [');
    await expect(startSandbox({ token: TOKEN, data: file })).rejects.toThrow(
      /not-json\.json: not valid JSON/,
    );
  });
});
