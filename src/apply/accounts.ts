import { InternalError } from '../errors.js';
import type { AppliedAccountValues } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { AccountCreateParams, ActionOf, IdRef } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import { type ActionEnvironment, manifestPassword, rememberAccount } from './environment.js';
import { CreateOutcomeUnknown, describeError, mayHaveApplied } from './failures.js';
import type { Settled } from './outcome.js';

type AccountKind =
  | 'account.create'
  | 'account.update'
  | 'account.activate'
  | 'account.deactivate'
  | 'account.delete'
  | 'account.set_licenses'
  | 'account.set_license_code';

/** Runs one account action and records what it applied. */
export async function runAccountAction(
  run: ActionRun,
  env: ActionEnvironment,
  action: ActionOf<AccountKind>,
): Promise<Settled> {
  const { client } = env;
  switch (action.kind) {
    case 'account.create':
      return createAccount(run, env, action);
    case 'account.update': {
      const { accountId, ...fields } = action.params;
      return changeAccount(run, env, accountId, (id) => client.updateAccount(id, fields), fields);
    }
    case 'account.activate':
      return changeAccount(run, env, action.params.accountId, (id) => client.activateAccount(id), {
        status: 'active',
      });
    case 'account.deactivate':
      return changeAccount(run, env, action.params.accountId, (id) => client.deactivateAccount(id), {
        status: 'inactive',
      });
    case 'account.delete':
      return changeAccount(run, env, action.params.accountId, (id) => client.deleteAccount(id), {
        status: 'deleted',
      });
    case 'account.set_licenses': {
      const { accountId, licenseQuantity } = action.params;
      const send = (id: OmnizeId) => client.setLicenseQuantity(id, licenseQuantity);
      return changeAccount(run, env, accountId, send, { licenseQuantity });
    }
    case 'account.set_license_code': {
      const { accountId, licenseCode } = action.params;
      const send = (id: OmnizeId) => client.setLicenseCode(id, licenseCode);
      return changeAccount(run, env, accountId, send, { licenseCode });
    }
  }
}

async function changeAccount(
  run: ActionRun,
  env: ActionEnvironment,
  ref: IdRef,
  send: (accountId: OmnizeId) => Promise<void>,
  applied: AppliedAccountValues,
): Promise<Settled> {
  const accountId = env.references.resolve(ref);
  await run.write(() => send(accountId));
  rememberAccount(env, run.action, accountId, applied);
  return { status: 'ok' };
}

/** Exactly what an account create sends, as the state store keeps it; a new account is active. */
export function appliedByCreate(params: AccountCreateParams): AppliedAccountValues {
  const { password: _password, ...fields } = params;
  return { ...fields, status: 'active' };
}

/**
 * `POST /accounts`. Accounts cannot be looked up, so a create that may have
 * been applied is never sent again: it is recorded `unknown`, which blocks
 * creating the key again until `state adopt`. A new ID is committed to the
 * state store as soon as the answer is read, before anything else runs.
 */
async function createAccount(
  run: ActionRun,
  env: ActionEnvironment,
  action: ActionOf<'account.create'>,
): Promise<Settled> {
  const { password, ...fields } = action.params;
  const prepared = password === 'from-manifest' ? manifestPassword(env, action) : undefined;
  if (password === 'from-manifest' && prepared === undefined) {
    throw new InternalError(`the manifest password of account ${action.account} is not in the manifest read`);
  }
  const applied = appliedByCreate(action.params);
  const key = action.account;
  const send = async () => {
    const created = await env.client.createAccount({ ...fields, passwordSha256: prepared?.sha256 });
    env.recorder.write(
      `account ${key} was created as Omnize ID ${created.id} but the state store could not record it; ` +
        `run \`omnize-sync state adopt ${key} ${created.id}\` before the next apply`,
      (store) => store.recordAccountCreated(key, created.id, applied, prepared?.fingerprint),
    );
    return created;
  };
  try {
    const created = await run.retrying(async () => {
      try {
        return await run.sendWrite(send);
      } catch (error) {
        throw mayHaveApplied(error) ? new CreateOutcomeUnknown(error) : error;
      }
    });
    return { status: 'ok', remoteId: created.id };
  } catch (error) {
    if (!(error instanceof CreateOutcomeUnknown)) throw error;
    markCreateUnknown(env, key, applied);
    return { status: 'unknown', error: describeError(error) };
  }
}

/** Blocks re-creating an account whose create may have been applied. */
export function markCreateUnknown(env: ActionEnvironment, key: string, applied: AppliedAccountValues): void {
  env.recorder.write(`the unknown outcome of creating account ${key} could not be recorded`, (store) => {
    if (store.getAccount(key)?.accountId == null) store.markAccountCreateUnknown(key, applied);
  });
}
