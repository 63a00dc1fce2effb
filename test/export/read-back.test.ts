import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_FILES, writeCsvFile } from '../../src/export/files.js';
import { isExact, readBack } from '../../src/export/read-back.js';
import { exportTables } from '../../src/export/rows.js';
import type { Observed, ObservedDepartment } from '../../src/model/observed.js';
import type { Remembered } from '../../src/model/remembered.js';
import { MANIFEST_KINDS } from '../../src/model/vocabulary.js';
import { testFingerprint } from '../plan/world.js';

const folder = mkdtempSync(join(tmpdir(), 'omnize-export-read-back-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const remembered: Remembered = {
  accounts: [
    {
      key: 'padaria',
      accountId: 1000,
      createState: 'known',
      applied: { email: 'contato@padaria.com.br', mainContact: 'João', licenseQuantity: 5, status: 'active' },
    },
  ],
  agents: [],
  kindsSeen: { accounts: true, departments: true, agents: true },
  serial: 1,
};
const department = (name: string, id: number, agentIds: number[] = []): ObservedDepartment => ({
  id,
  accountId: 1000,
  name,
  description: '',
  active: true,
  channels: ['chat'],
  agentIds,
});

async function exportAndReadBack(name: string, departments: ObservedDepartment[]) {
  const observed: Observed = {
    accounts: new Map([
      [
        1000,
        {
          agents: [
            {
              id: 1,
              accountId: 1000,
              email: 'ana@padaria.com.br',
              name: 'Ana',
              profile: 'AGENT',
              active: true,
            },
          ],
          departments,
        },
      ],
    ]),
  };
  const tables = exportTables(
    [{ accountId: 1000, key: 'padaria', applied: remembered.accounts[0]!.applied }],
    observed,
    remembered,
  );
  const into = join(folder, name);
  mkdirSync(into);
  for (const kind of MANIFEST_KINDS) writeCsvFile(join(into, CSV_FILES[kind]), kind, tables);
  return readBack([name], folder, { observed, remembered, fingerprint: testFingerprint });
}

describe('readBack: what no manifest can give back exactly is found, not hidden', () => {
  it('a converged export is exact', async () => {
    const check = await exportAndReadBack('exact', [department('Vendas', 500, [1])]);
    expect(isExact(check)).toBe(true);
  });

  it('a live name with spaces around it would be renamed by a plan (cells are trimmed)', async () => {
    const check = await exportAndReadBack('spaces', [department(' Vendas ', 500)]);
    expect(isExact(check)).toBe(false);
    expect(check.plan?.actions.map((action) => [action.kind, action.before, action.after])).toEqual([
      ['department.update', { name: ' Vendas ' }, { name: 'Vendas' }],
    ]);
  });

  it('two live departments whose names differ only in case do not validate', async () => {
    const check = await exportAndReadBack('twins', [department('Vendas', 500), department('VENDAS', 501)]);
    expect(isExact(check)).toBe(false);
    expect(check.plan).toBeUndefined();
    expect(check.problems.filter((problem) => problem.severity === 'error').map((p) => p.column)).toEqual([
      'name',
    ]);
  });

  it("a department name holding a list separator cannot be named in an agent's departments cell", async () => {
    const check = await exportAndReadBack('separator', [department('Vendas|Norte', 500, [1])]);
    expect(isExact(check)).toBe(false);
    expect(check.problems.map((problem) => problem.column)).toContain('departments');
  });
});
