import { InternalError } from '../errors.js';
import { emailKey } from '../model/vocabulary.js';
import type { ActionOf } from '../plan/action.js';
import type { ActionRun, PreparedPassword } from './action-run.js';
import type { Executors } from './executors.js';
import type { Settled } from './outcome.js';

type AgentKind = 'agent.create' | 'agent.update' | 'agent.set_profile';

/**
 * The agent actions; each records the values the API does not give back (text limit, password
 * fingerprint) and the name and profile it sent, which a later plan tells drift by (CONTRACT §14).
 */
export const agentExecutors: Pick<Executors, AgentKind> = {
  'agent.create': createAgent,
  'agent.update': updateAgent,
  'agent.set_profile': async (run) => {
    const { agentId, profile } = run.action.params;
    const id = run.resolve(agentId);
    await run.write(() => run.context.client.updateAgentProfile(id, profile));
    const accountId = await run.accountId();
    // The target is the agent's e-mail (plan/agents.ts), the key it is remembered by.
    if (accountId !== undefined) {
      run.recordLater({ kind: 'agent-applied', accountId, email: run.action.target, values: { profile } });
    }
    return { status: 'ok' };
  },
};

/**
 * `POST /agents`. The password is the manifest's, or a random one that is hashed
 * at once and written nowhere (CONTRACT §3). An unknown outcome is looked up by
 * e-mail, case-insensitively.
 */
async function createAgent(run: ActionRun<ActionOf<'agent.create'>>): Promise<Settled> {
  const { action } = run;
  const { client } = run.context;
  const { accountId: ref, email, name, profile, textLimit } = action.params;
  const accountId = run.resolve(ref);
  const password =
    action.params.password === 'from-manifest' ? requirePassword(run, action) : run.generatedPassword();
  const passwordSha256 = password.sha256;
  const wanted = emailKey(email);
  const created = await run.write(
    () => client.createAgent({ accountId, email, name, profile, textLimit, passwordSha256 }),
    {
      lookUp: async () =>
        (await client.listAgents(accountId)).find((agent) => emailKey(agent.email) === wanted),
    },
  );
  run.recordLater({
    kind: 'agent-applied',
    accountId,
    email,
    values: { textLimit, passwordFingerprint: password.fingerprint, name, profile },
  });
  return { status: 'ok', remoteId: created.id, ...(run.foundByLookup ? { foundByLookup: true } : {}) };
}

/** `PUT /agents/:id` with e-mail and name, the text limit, and the manifest's password when it changed. */
async function updateAgent(run: ActionRun<ActionOf<'agent.update'>>): Promise<Settled> {
  const { action } = run;
  const { agentId: ref, email, name, textLimit } = action.params;
  const agentId = run.resolve(ref);
  const manifest = action.params.password === 'from-manifest' ? requirePassword(run, action) : undefined;
  await run.write(() =>
    run.context.client.updateAgent(agentId, { email, name, textLimit, passwordSha256: manifest?.sha256 }),
  );
  const accountId = await run.accountId();
  if (accountId !== undefined) {
    run.recordLater({
      kind: 'agent-applied',
      accountId,
      email,
      values: { textLimit, passwordFingerprint: manifest?.fingerprint, name },
    });
  }
  return { status: 'ok' };
}

function requirePassword(
  run: ActionRun,
  action: ActionOf<'agent.create' | 'agent.update'>,
): PreparedPassword {
  const prepared = run.manifestPassword();
  if (prepared === undefined) {
    throw new InternalError(`the manifest password of agent ${action.target} is not in the manifest read`);
  }
  return prepared;
}
