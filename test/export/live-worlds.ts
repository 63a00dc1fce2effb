import fc from 'fast-check';
import type { ExportSelectors } from '../../src/export/selection.js';
import type { Observed, ObservedAgent, ObservedDepartment } from '../../src/model/observed.js';
import type { AppliedAccountValues, Remembered, RememberedAgent } from '../../src/model/remembered.js';
import { CHANNELS, emailKey, nameKey } from '../../src/model/vocabulary.js';

/**
 * A live state and a state store as a partner has them before their first export: accounts the
 * store knows with every field (made by an earlier apply), adopted ones whose fields it never
 * learnt, some with only part of them, and accounts it does not know at all (named by
 * --account-id); inactive departments; agents in several departments or none; accented text
 * and text a spreadsheet would take for a formula. What a manifest can hold: values are trimmed
 * (the reader trims cells) and department names hold no list separator.
 */
export interface LiveWorld {
  observed: Observed;
  remembered: Remembered;
  /** What the export is asked for: undefined for "everything the state store knows". */
  selectors: ExportSelectors | undefined;
  format: 'csv' | 'xlsx';
}

/** Text as Brazilian partners type it, and text that starts like a formula (=, +, -, @). */
const TEXTS = [
  'Atendimento',
  'Cobrança',
  'Manutenção',
  'Suporte Técnico',
  'Ótica & Cia',
  'Dúvidas "urgentes"',
  '=SOMA(A1:A2)',
  '+55 11 3333-0000',
  '-10% à vista',
  '@equipe',
  'Linha 1\nLinha 2',
  'Pedidos; entregas, trocas | devoluções',
  "D'Ávila",
  'São João 2',
  'São João 10',
];
const DEPARTMENT_NAMES = TEXTS.filter((text) => !/[;,|\n]/.test(text));
const PEOPLE = ['João Conceição', 'Márcia Gonçalves', 'Antônio Brandão', 'Luíza Câmara', '=Caixa', '@Cauã'];
const KEYS = ['padaria', 'ótica-araújo', 'café', '+filial', '-matriz', 'Loja 10', 'loja 2'];

const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });

const appliedFields = fc.record({
  email: fc.constantFrom('contato@padaria.com.br', 'Atendimento@Otica.com.br'),
  mainContact: fc.constantFrom(...PEOPLE),
  phone: optional(fc.constantFrom('+55 11 3333-0000', '(21) 3344-5566', '')),
  url: optional(fc.constantFrom('www.padaria.com.br', 'https://café.com.br')),
  licenseQuantity: fc.nat(20),
  licenseCode: optional(fc.constantFrom('PARTNER_X', '-P1')),
  status: optional(fc.constantFrom('active' as const, 'inactive' as const)),
});

const department = fc.record({
  name: fc.constantFrom(...DEPARTMENT_NAMES),
  description: fc.constantFrom('', ...TEXTS),
  active: fc.boolean(),
  /** In any order: the API promises none. */
  channels: fc.shuffledSubarray([...CHANNELS]),
  /** Indexes into the account's agents: several, one or none. */
  members: fc.uniqueArray(fc.nat(5), { maxLength: 4 }),
  /** A member the account's agent list does not show. */
  foreignMember: fc.boolean(),
});

const agent = fc.record({
  local: fc.constantFrom('ana', 'Joao.Silva', 'marcia_g', 'caua+vendas', 'luiza'),
  name: fc.constantFrom(...PEOPLE, ...DEPARTMENT_NAMES),
  profile: fc.constantFrom('AGENT' as const, 'ADMIN' as const),
  active: fc.boolean(),
  /** What the state store remembers of the agent: nothing (an adopted account), a text limit, a password fingerprint. */
  remembered: optional(fc.record({ textLimit: optional(fc.nat(30)), fingerprint: fc.boolean() })),
});

const account = fc.record({
  /** known: every field applied; partial: some; adopted: none; external: the state store does not know it. */
  mode: fc.constantFrom('known', 'partial', 'adopted', 'external'),
  key: fc.constantFrom(...KEYS),
  applied: appliedFields,
  partial: fc.subarray(['email', 'mainContact', 'licenseQuantity', 'phone', 'status'] as const),
  departments: fc.uniqueArray(department, { maxLength: 4, selector: (d) => nameKey(d.name) }),
  agents: fc.uniqueArray(agent, { maxLength: 6, selector: (a) => a.local.toLowerCase() }),
  /** Named by --account (or, for an external account, always by --account-id). */
  named: fc.boolean(),
});

export const liveWorlds: fc.Arbitrary<LiveWorld> = fc
  .record({
    accounts: fc.uniqueArray(account, { minLength: 1, maxLength: 4, selector: (a) => nameKey(a.key) }),
    selectEverything: fc.boolean(),
    format: fc.constantFrom('csv' as const, 'xlsx' as const),
  })
  .map(buildLiveWorld);

type Spec = Parameters<typeof buildLiveWorld>[0];

function buildLiveWorld(spec: {
  accounts: (typeof account extends fc.Arbitrary<infer T> ? T : never)[];
  selectEverything: boolean;
  format: 'csv' | 'xlsx';
}): LiveWorld {
  const observed: Observed = { accounts: new Map() };
  const remembered: Remembered = {
    accounts: [],
    agents: [],
    kindsSeen: { accounts: true, departments: true, agents: true },
    serial: 7,
  };
  const keys: string[] = [];
  const ids: number[] = [];
  let nextDepartmentId = 500;
  let nextAgentId = 10_000;
  spec.accounts.forEach((shape, index) => {
    const accountId = 1000 + index;
    const agents: ObservedAgent[] = shape.agents.map((each) => ({
      id: nextAgentId++,
      accountId,
      email: `${each.local}@cliente${index}.com.br`,
      name: each.name,
      profile: each.profile,
      active: each.active,
    }));
    const departments: ObservedDepartment[] = shape.departments.map((each) => ({
      id: nextDepartmentId++,
      accountId,
      name: each.name,
      description: each.description,
      active: each.active,
      channels: each.channels,
      agentIds: [
        ...each.members.flatMap((member) => (agents[member] === undefined ? [] : [agents[member].id])),
        ...(each.foreignMember ? [99_999] : []),
      ],
    }));
    observed.accounts.set(accountId, { agents, departments });
    if (shape.mode === 'external') {
      ids.push(accountId);
      return;
    }
    remembered.accounts.push({
      key: shape.key,
      accountId,
      createState: 'known',
      applied: appliedOf(shape),
    });
    if (shape.named) keys.push(shape.key);
    shape.agents.forEach((each, agentIndex) => {
      if (each.remembered === undefined) return;
      const record: RememberedAgent = { accountId, email: emailKey(agents[agentIndex]!.email) };
      if (each.remembered.textLimit !== undefined) record.textLimit = each.remembered.textLimit;
      if (each.remembered.fingerprint) record.passwordFingerprint = 'fingerprint-of-an-earlier-password';
      remembered.agents.push(record);
    });
  });
  const everything = spec.selectEverything && ids.length === 0 && remembered.accounts.length > 0;
  const selectors = everything
    ? undefined
    : { keys: keys.length + ids.length === 0 ? remembered.accounts.map((a) => a.key) : keys, ids };
  return { observed, remembered, selectors, format: spec.format };
}

function appliedOf(shape: Spec['accounts'][number]): AppliedAccountValues {
  if (shape.mode === 'adopted') return {};
  if (shape.mode === 'known') return withoutUndefined(shape.applied);
  const partial: AppliedAccountValues = {};
  for (const field of shape.partial)
    Object.assign(partial, withoutUndefined({ [field]: shape.applied[field] }));
  return partial;
}

function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
