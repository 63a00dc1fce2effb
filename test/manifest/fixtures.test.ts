import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/manifest/index.js';
import type { Desired } from '../../src/model/desired.js';
import { ACCOUNTS, AGENT_NAMES, AGENTS } from './support/roster-fixture.js';

const PROJECT = new URL('../../', import.meta.url).pathname;
const DIALECTS = [
  'fixtures/manifests/good/roster.xlsx',
  'fixtures/manifests/good/csv-utf8-comma',
  'fixtures/manifests/good/csv-cp1252-semicolon',
  'fixtures/manifests/good/csv-utf8-bom-semicolon',
  'fixtures/manifests/good/csv-portuguese',
];

async function desired(path: string): Promise<Desired> {
  const loaded = await loadManifest([path], { cwd: PROJECT });
  expect(loaded.problems).toEqual([]);
  return loaded.desired!;
}

/** The model without where each entity came from, which differs between dialects by design. */
function withoutSources(model: Desired) {
  const strip = <T extends { source: unknown }>({ source: _source, ...rest }: T) => rest;
  return {
    accounts: model.accounts.map(strip),
    departments: model.departments.map(strip),
    agents: model.agents.map(strip),
    kindsPresent: model.kindsPresent,
  };
}

describe('the good roster in every dialect', () => {
  it.each(DIALECTS)('%s gives every accented name byte for byte', async (path) => {
    const names = (await desired(path)).agents.map((agent) =>
      Buffer.from(agent.name, 'utf8').toString('hex'),
    );
    expect(names).toEqual(AGENT_NAMES.map((name) => Buffer.from(name, 'utf8').toString('hex')));
  });

  it('gives the same model from the workbook and from every CSV dialect', async () => {
    const models = await Promise.all(DIALECTS.map(async (path) => withoutSources(await desired(path))));
    for (const model of models.slice(1)) expect(model).toEqual(models[0]);
    const [first] = models;
    expect(first?.accounts.map((account) => [account.key, account.licenseQuantity, account.url])).toEqual(
      ACCOUNTS.map((row) => [row[0], Number(row[5]), row[4] || undefined]),
    );
    expect(first?.agents).toHaveLength(AGENTS.length);
    expect(first?.agents[1]).toEqual({
      account: { key: 'padaria-sao-joao' },
      email: 'maria.araujo@padariasaojoao.com.br',
      name: 'Maria Araújo',
      profile: 'AGENT',
      textLimit: 50,
      departments: ['Atendimento', 'Confeitaria'],
    });
  });

  it('numbers the workbook’s rows as Excel does, past the blank row', async () => {
    const agents = (await desired(DIALECTS[0] ?? '')).agents;
    expect([agents[9]?.source, agents[10]?.source]).toEqual([
      { file: 'fixtures/manifests/good/roster.xlsx', sheet: 'Agents', row: 11 },
      { file: 'fixtures/manifests/good/roster.xlsx', sheet: 'Agents', row: 13 },
    ]);
  });
});
