import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/plan/action.js';
import { appliedRow, type ResultRow } from '../../src/report/results.js';
import { harness } from './harness.js';
import { accountCreate, addAgents, agentCreate, departmentCreate, planOf } from './plans.js';

/** The report rows of a run, as results.csv, report.html and rejected.xlsx get them. */
async function rowsOf(h: ReturnType<typeof harness>, actions: PlannedAction[]): Promise<ResultRow[]> {
  const result = await h.apply(planOf(...actions));
  return actions.map((action) => appliedRow(action, result.outcomes.get(action.id)!));
}

/** An action ID reads `kind:account:target`; no report text may show one. */
function expectNoActionId(rows: ResultRow[], actions: PlannedAction[]): void {
  const texts = rows.map((row) => JSON.stringify(row));
  for (const action of actions) {
    for (const text of texts) expect(text).not.toContain(action.id);
  }
}

describe('a root failure is reported once, in words', () => {
  it('reports a batch member whose create failed once, as skipped, with its e-mail and manifest row', async () => {
    const h = harness();
    const department = h.client.addDepartment(1, 'Atendimento');
    const ana = { ...agentCreate(1, 'ana@padariasol.com.br'), source: { file: 'agents.csv', row: 13 } };
    const bia = { ...agentCreate(1, 'bia@padariasol.com.br'), source: { file: 'agents.csv', row: 14 } };
    h.client.script('createAgent', [{ reject: 'E-mail has already been taken' }], (args) =>
      (args[0] as { email: string }).email.startsWith('bia'),
    );
    const batch = addAgents(department.id, [ana, bia]);
    batch.params.agents[0]!.source = ana.source;
    batch.params.agents[1]!.source = bia.source;
    const actions = [ana, bia, batch];
    const [, biaRow, batchRow] = await rowsOf(h, actions);

    expect(biaRow).toMatchObject({ outcome: 'failed', error: 'E-mail has already been taken' });
    expect(batchRow).toMatchObject({
      outcome: 'ok',
      error: 'bia@padariasol.com.br (agents.csv:14) skipped: creating the agent failed',
    });
    expect(batchRow!.memberFailures).toBeUndefined();
    expect([...department.agentIds]).toHaveLength(1);
    expectNoActionId([biaRow!, batchRow!], actions);
  });

  it('names the agents of a batch that could send nothing, instead of action IDs', async () => {
    const h = harness();
    const department = h.client.addDepartment(1, 'Atendimento');
    const ana = { ...agentCreate(1, 'ana@padariasol.com.br'), source: { file: 'agents.csv', row: 13 } };
    h.client.script('createAgent', [{ reject: 'E-mail has already been taken' }]);
    const batch = addAgents(department.id, [ana]);
    const actions = [ana, batch];
    const [, batchRow] = await rowsOf(h, actions);
    expect(batchRow).toMatchObject({
      outcome: 'skipped',
      error: 'nothing to send: ana@padariasol.com.br (agents.csv:2) skipped: creating the agent failed',
    });
    expectNoActionId([batchRow!], actions);
  });

  it('names the entity and manifest row of a failed dependency', async () => {
    const h = harness();
    h.client.script('createAccount', [{ reject: 'E-mail inválido' }]);
    const account = { ...accountCreate('padaria-sol'), source: { file: 'accounts.csv', row: 3 } };
    const sales = { ...departmentCreate(account, 'Vendas'), source: { file: 'departments.csv', row: 5 } };
    const ana = agentCreate(account, 'ana@padariasol.com.br');
    const actions = [account, sales, ana];
    const [, salesRow, anaRow] = await rowsOf(h, actions);
    expect(salesRow).toMatchObject({
      outcome: 'skipped',
      error: 'creating account padaria-sol (accounts.csv:3) failed',
    });
    expect(anaRow).toMatchObject({
      outcome: 'skipped',
      error: 'creating account padaria-sol (accounts.csv:3) failed',
    });
    expectNoActionId([salesRow!, anaRow!], actions);
  });

  it('says why a skipped dependency was skipped', async () => {
    const h = harness();
    h.client.script('createAccount', [{ reject: 'E-mail inválido' }]);
    const account = { ...accountCreate('padaria-sol'), source: { file: 'accounts.csv', row: 3 } };
    const sales = { ...departmentCreate(account, 'Vendas'), source: { file: 'departments.csv', row: 5 } };
    const batch = addAgents(sales, [7]);
    const actions = [account, sales, batch];
    const [, , batchRow] = await rowsOf(h, actions);
    expect(batchRow).toMatchObject({
      outcome: 'skipped',
      error:
        'creating department Vendas (departments.csv:5) was skipped (creating account padaria-sol (accounts.csv:3) failed)',
    });
    expectNoActionId([batchRow!], actions);
  });
});
