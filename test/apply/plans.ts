import {
  ACTION_KINDS,
  type ActionKind,
  type ActionOf,
  type IdRef,
  type MemberRef,
  type ParamsOf,
  type PlannedAction,
} from '../../src/plan/action.js';
import type { Plan } from '../../src/plan/types.js';

/** A plan holding these actions, in this order. */
export function planOf(...actions: PlannedAction[]): Plan {
  const counts = Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;
  for (const action of actions) counts[action.kind] += 1;
  return {
    formatVersion: 1,
    createdAt: '2026-03-01T02:00:00.000Z',
    rememberedSerial: 0,
    actions,
    notices: [],
    counts,
    guard: {
      destructive: 0,
      limit: 5,
      inScope: actions.length,
      maxDeactivations: { count: 5 },
      exceeded: false,
    },
  };
}

/** `{fromAction}` of an action. */
export const ref = (action: PlannedAction): IdRef => ({ fromAction: action.id });

/** Any action, with the fields apply does not read filled in. */
export function action<K extends ActionKind>(
  kind: K,
  account: string,
  target: string,
  params: ParamsOf<K>,
  extra: Partial<Pick<PlannedAction, 'dependsOn' | 'requires' | 'source'>> = {},
): ActionOf<K> {
  return {
    id: `${kind}:${account}:${target.toLowerCase()}`,
    kind,
    account,
    target,
    before: {},
    after: {},
    reason: 'missing-remote',
    cause: 'new',
    dependsOn: [],
    ...extra,
    params,
  } as ActionOf<K>;
}

export function accountCreate(key: string, password: 'from-manifest' | 'none' = 'none') {
  return action('account.create', key, key, {
    email: `owner@${key}.example`,
    mainContact: `Owner of ${key}`,
    licenseQuantity: 10,
    password,
  });
}

/** An agent create in the account `account` stands for (its create action, or an Omnize ID). */
export function agentCreate(
  account: PlannedAction | number,
  email: string,
  password: 'from-manifest' | 'generated' = 'generated',
) {
  const label = typeof account === 'number' ? `#${account}` : account.account;
  return action(
    'agent.create',
    label,
    email,
    {
      accountId: typeof account === 'number' ? account : ref(account),
      email,
      name: email.split('@')[0]!,
      profile: 'AGENT',
      textLimit: 3,
      password,
    },
    { dependsOn: typeof account === 'number' ? [] : [account.id] },
  );
}

export function departmentCreate(account: PlannedAction | number, name: string) {
  const label = typeof account === 'number' ? `#${account}` : account.account;
  return action(
    'department.create',
    label,
    name,
    {
      accountId: typeof account === 'number' ? account : ref(account),
      name,
      description: '',
      active: true,
      channels: ['chat'],
    },
    { dependsOn: typeof account === 'number' ? [] : [account.id] },
  );
}

/** An add_agents batch; members are agent creates of this plan or existing agent IDs. */
export function addAgents(
  department: PlannedAction | number,
  members: (PlannedAction | number)[],
  kind: 'department.add_agents' | 'department.remove_agents' = 'department.add_agents',
) {
  const account = typeof department === 'number' ? '#1' : department.account;
  const target = typeof department === 'number' ? `department ${department}` : department.target;
  const agents: MemberRef[] = members.map((member, index) =>
    typeof member === 'number'
      ? { label: `#${member}`, agentId: member, reason: 'membership-changed', cause: 'new' }
      : {
          label: member.target,
          agentId: ref(member),
          reason: 'membership-changed',
          cause: 'new',
          source: { file: 'agents.csv', row: index + 2 },
        },
  );
  const dependsOn = [department, ...members].flatMap((item) => (typeof item === 'number' ? [] : [item.id]));
  return action(
    kind,
    account,
    target,
    { departmentId: typeof department === 'number' ? department : ref(department), agents },
    { dependsOn },
  );
}
