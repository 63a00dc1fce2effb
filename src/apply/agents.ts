import { randomBytes } from 'node:crypto';
import { InternalError } from '../errors.js';
import { emailKey } from '../model/vocabulary.js';
import { sha256Hex } from '../omnize/password.js';
import type { ActionOf } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import { createWithLookup } from './creates.js';
import { type ActionEnvironment, manifestPassword, type PreparedPassword } from './environment.js';
import type { Settled } from './outcome.js';

/** Random bytes of a generated password: 192 bits, far beyond guessing; sent as the digest of its base64url text. */
export const GENERATED_PASSWORD_BYTES = 24;

type AgentKind = 'agent.create' | 'agent.update' | 'agent.set_profile';

/** Runs one agent action and records the values the API does not give back (text limit, password fingerprint). */
export async function runAgentAction(
  run: ActionRun,
  env: ActionEnvironment,
  action: ActionOf<AgentKind>,
): Promise<Settled> {
  switch (action.kind) {
    case 'agent.create':
      return createAgent(run, env, action);
    case 'agent.update':
      return updateAgent(run, env, action);
    case 'agent.set_profile': {
      const id = env.references.resolve(action.params.agentId);
      await run.write(() => env.client.updateAgentProfile(id, action.params.profile));
      return { status: 'ok' };
    }
  }
}

/**
 * `POST /agents`. The password is the manifest's, or a random one that is hashed
 * at once and written nowhere (CONTRACT §3). An unknown outcome is looked up by
 * e-mail, case-insensitively.
 */
async function createAgent(
  run: ActionRun,
  env: ActionEnvironment,
  action: ActionOf<'agent.create'>,
): Promise<Settled> {
  const { accountId: ref, email, name, profile, textLimit } = action.params;
  const accountId = env.references.resolve(ref);
  const manifest = action.params.password === 'from-manifest' ? requirePassword(env, action) : undefined;
  const passwordSha256 = manifest?.sha256 ?? generatedPasswordSha256();
  const wanted = emailKey(email);
  const { created, foundByLookup } = await createWithLookup(
    run,
    () => env.client.createAgent({ accountId, email, name, profile, textLimit, passwordSha256 }),
    async () => (await env.client.listAgents(accountId)).find((agent) => emailKey(agent.email) === wanted),
  );
  env.recorder.write(`what ${action.id} applied could not be recorded`, (store) =>
    store.recordAgentApplied(accountId, email, { textLimit, passwordFingerprint: manifest?.fingerprint }),
  );
  return { status: 'ok', remoteId: created.id, ...(foundByLookup ? { foundByLookup } : {}) };
}

/** `PUT /agents/:id` with e-mail and name, the text limit, and the manifest's password when it changed. */
async function updateAgent(
  run: ActionRun,
  env: ActionEnvironment,
  action: ActionOf<'agent.update'>,
): Promise<Settled> {
  const { agentId: ref, email, name, textLimit } = action.params;
  const agentId = env.references.resolve(ref);
  const manifest = action.params.password === 'from-manifest' ? requirePassword(env, action) : undefined;
  await run.write(() =>
    env.client.updateAgent(agentId, { email, name, textLimit, passwordSha256: manifest?.sha256 }),
  );
  const accountId = env.references.accountIdOf(action.account);
  if (accountId !== undefined) {
    env.recorder.write(`what ${action.id} applied could not be recorded`, (store) =>
      store.recordAgentApplied(accountId, email, { textLimit, passwordFingerprint: manifest?.fingerprint }),
    );
  }
  return { status: 'ok' };
}

function requirePassword(
  env: ActionEnvironment,
  action: ActionOf<'agent.create' | 'agent.update'>,
): PreparedPassword {
  const prepared = manifestPassword(env, action);
  if (prepared === undefined) {
    throw new InternalError(`the manifest password of agent ${action.target} is not in the manifest read`);
  }
  return prepared;
}

/** A password nobody will ever know: only its digest leaves this function. */
function generatedPasswordSha256(): string {
  return sha256Hex(randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url'));
}
