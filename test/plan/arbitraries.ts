import fc from 'fast-check';
import { CHANNELS, emailKey, nameKey } from '../../src/model/vocabulary.js';
import type { PlanOptions } from '../../src/plan/types.js';
import { buildWorld } from './scenario-builder.js';
import type { World } from './world.js';

/** A random world and the options to plan it with. */
export interface Scenario {
  world: World;
  options: Pick<PlanOptions, 'prune' | 'allowDelete'>;
}

const DEPARTMENT_NAMES = ['Vendas', 'Suporte', 'Financeiro'];
const EMAILS = ['ana@x.example', 'bia@x.example', 'caio@x.example', 'duda@x.example', 'eva@x.example'];

const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
/** A name as people type it: as is, upper case, lower case, or with spaces around. */
const spelled = (names: string[]) =>
  fc
    .tuple(fc.constantFrom(...names), fc.constantFrom('as-is', 'upper', 'lower', 'spaced'))
    .map(([name, how]) =>
      how === 'upper'
        ? name.toUpperCase()
        : how === 'lower'
          ? name.toLowerCase()
          : how === 'spaced'
            ? ` ${name} `
            : name,
    );
const person = fc.constantFrom('Ann', 'Bia', 'Caio');
const password = optional(fc.constantFrom('pass-one', 'pass-two'));

const remoteDepartment = fc.record({
  name: spelled(DEPARTMENT_NAMES),
  description: fc.constantFrom('', 'Old', 'New'),
  active: fc.boolean(),
  channels: fc.subarray([...CHANNELS]),
  members: fc.array(fc.nat(4), { maxLength: 4 }),
  foreignMember: fc.boolean(),
});
const remoteAgent = fc.record({
  email: spelled(EMAILS),
  name: person,
  profile: fc.constantFrom('AGENT' as const, 'ADMIN' as const),
  active: fc.boolean(),
  textLimit: optional(fc.nat(2)),
  password,
});
const desiredDepartment = fc.record({
  name: spelled(DEPARTMENT_NAMES).map((name) => name.trim()),
  description: optional(fc.constantFrom('Old', 'New')),
  status: optional(fc.constantFrom('active' as const, 'inactive' as const)),
  channels: fc.subarray([...CHANNELS]),
});
const desiredAgent = fc.record({
  email: spelled(EMAILS).map((email) => email.trim()),
  name: person,
  profile: optional(fc.constantFrom('AGENT' as const, 'ADMIN' as const)),
  textLimit: optional(fc.nat(2)),
  departments: fc.array(fc.tuple(fc.nat(5), fc.boolean()), { maxLength: 3 }),
  password,
});
const contents = {
  remoteDepartments: fc.array(remoteDepartment, { maxLength: 3 }),
  remoteAgents: fc.uniqueArray(remoteAgent, { maxLength: 4, selector: (agent) => emailKey(agent.email) }),
  desiredDepartments: fc.uniqueArray(desiredDepartment, { maxLength: 3, selector: (d) => nameKey(d.name) }),
  desiredAgents: fc.array(desiredAgent, { maxLength: 4 }),
};
const account = fc.record({
  mode: fc.constantFrom('existing', 'new', 'adopt', 'unknown', 'remembered'),
  fields: fc.record({
    email: fc.constantFrom('o1@x.example', 'o2@x.example'),
    mainContact: person,
    phone: optional(fc.constantFrom('11 1111', '11 2222')),
    url: optional(fc.constantFrom('a.example', 'b.example')),
    licenseQuantity: fc.nat(3),
    licenseCode: optional(fc.constantFrom('P1', 'P2')),
    status: optional(fc.constantFrom('active' as const, 'inactive' as const, 'deleted' as const)),
  }),
  applied: fc.record(
    {
      email: fc.constantFrom('o1@x.example', 'o2@x.example'),
      mainContact: person,
      phone: fc.constantFrom('11 1111', '11 2222'),
      url: fc.constantFrom('a.example', 'b.example'),
      licenseQuantity: fc.nat(3),
      licenseCode: fc.constantFrom('P1', 'P2'),
      status: fc.constantFrom('active' as const, 'inactive' as const),
    },
    { requiredKeys: [] },
  ),
  refById: fc.boolean(),
  ...contents,
});
const kinds = fc.record({ accounts: fc.boolean(), departments: fc.boolean(), agents: fc.boolean() });
const columns = fc.record({
  phone: fc.boolean(),
  url: fc.boolean(),
  licenseCode: fc.boolean(),
  accountStatus: fc.boolean(),
  description: fc.boolean(),
  departmentStatus: fc.boolean(),
  channels: fc.boolean(),
  profile: fc.boolean(),
  textLimit: fc.boolean(),
  departments: fc.boolean(),
  password: fc.boolean(),
});

export type AccountSpec = typeof account extends fc.Arbitrary<infer T> ? T : never;
export type ContentsSpec = Pick<AccountSpec, keyof typeof contents>;
export type Columns = typeof columns extends fc.Arbitrary<infer T> ? T : never;

/** Random manifests, live states and state stores of up to three accounts and one account named by ID. */
export const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    accounts: fc.array(account, { maxLength: 3 }),
    external: optional(fc.record(contents)),
    kindsPresent: kinds,
    kindsSeen: kinds,
    columns,
    prune: fc.boolean(),
    allowDelete: fc.boolean(),
  })
  .map((spec) => ({
    world: buildWorld(spec),
    options: { prune: spec.prune, allowDelete: spec.allowDelete },
  }));
