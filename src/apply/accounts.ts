import { InternalError } from '../errors.js';
import type { AppliedAccountValues } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { AccountCreateParams, ActionOf, IdRef, PlannedAction } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
import type { Executors } from './executors.js';
import { describeError, mayHaveApplied } from './failures.js';
import type { Settled } from './outcome.js';

type AccountKind =
  | 'account.create'
  | 'account.update'
  | 'account.activate'
  | 'account.deactivate'
  | 'account.delete'
  | 'account.set_licenses'
  | 'account.set_license_code';

/** The account actions; each records what it applied. */
export const accountExecutors: Pick<Executors, AccountKind> = {
  'account.create': createAccount,
  'account.update': (run) => {
    const { accountId, ...fields } = run.action.params;
    return changeAccount(run, accountId, (id) => run.context.client.updateAccount(id, fields), fields);
  },
  'account.activate': (run) =>
    changeAccount(run, run.action.params.accountId, (id) => run.context.client.activateAccount(id), {
      status: 'active',
    }),
  'account.deactivate': (run) =>
    changeAccount(run, run.action.params.accountId, (id) => run.context.client.deactivateAccount(id), {
      status: 'inactive',
    }),
  'account.delete': (run) =>
    changeAccount(run, run.action.params.accountId, (id) => run.context.client.deleteAccount(id), {
      status: 'deleted',
    }),
  'account.set_licenses': (run) => {
    const { accountId, licenseQuantity } = run.action.params;
    const send = (id: OmnizeId) => run.context.client.setLicenseQuantity(id, licenseQuantity);
    return changeAccount(run, accountId, send, { licenseQuantity });
  },
  'account.set_license_code': (run) => {
    const { accountId, licenseCode } = run.action.params;
    const send = (id: OmnizeId) => run.context.client.setLicenseCode(id, licenseCode);
    return changeAccount(run, accountId, send, { licenseCode });
  },
};

async function changeAccount(
  run: ActionRun,
  ref: IdRef,
  send: (accountId: OmnizeId) => Promise<void>,
  applied: AppliedAccountValues,
): Promise<Settled> {
  const accountId = run.resolve(ref);
  await run.write(() => send(accountId));
  await rememberAccount(run, accountId, applied);
  return { status: 'ok' };
}

/**
 * Records values applied to an account. Nothing is recorded for an account the
 * manifest names only by ID; an account the store does not know yet (its
 * `account_id` adopted from the manifest) is adopted first, so its key is tied
 * to the ID from now on.
 */
async function rememberAccount(
  run: ActionRun,
  accountId: OmnizeId,
  applied: AppliedAccountValues,
): Promise<void> {
  const key = run.action.account;
  if (key === `#${accountId}`) return;
  await run.record(`what ${run.action.id} applied could not be recorded`, async (store) => {
    if ((await store.getAccount(key)) === undefined) await store.adoptAccount(key, accountId);
    if (applied.status === 'deleted') await store.recordAccountDeleted(key);
    else await store.recordAccountApplied(key, applied);
  });
}

/** Exactly what an account create sends, as the state store keeps it; a new account is active. */
export function appliedByCreate(params: AccountCreateParams): AppliedAccountValues {
  const { password: _password, ...fields } = params;
  return { ...fields, status: 'active' };
}

/**
 * `POST /accounts`. Accounts cannot be looked up, so a create that may have
 * been applied is never sent again: it is recorded `unknown`, which blocks
 * creating the key again until `state adopt`. What a try applied is recorded
 * inside the try, before its journal entry is settled: a new ID as soon as the
 * answer is read, an unknown outcome as soon as the try fails, so a run killed
 * at any point leaves either an open journal entry or the record.
 */
async function createAccount(run: ActionRun<ActionOf<'account.create'>>): Promise<Settled> {
  const { action } = run;
  const { password, ...fields } = action.params;
  const prepared = password === 'from-manifest' ? run.manifestPassword() : undefined;
  if (password === 'from-manifest' && prepared === undefined) {
    throw new InternalError(`the manifest password of account ${action.account} is not in the manifest read`);
  }
  const applied = appliedByCreate(action.params);
  const key = action.account;
  const send = async () => {
    let created: { id: OmnizeId };
    try {
      created = await run.context.client.createAccount({ ...fields, passwordSha256: prepared?.sha256 });
    } catch (error) {
      if (mayHaveApplied(error)) await markCreateUnknown(run, action, applied);
      throw error;
    }
    // Recorded before the try's journal entry is settled: the journal layer awaits `send`.
    await run.record(
      `account ${key} was created as Omnize ID ${created.id} but the state store could not record it; ` +
        `run \`omnize-sync state adopt ${key} ${created.id}\` before the next apply`,
      (store) => store.recordAccountCreated(key, created.id, applied, prepared?.fingerprint),
    );
    return created;
  };
  try {
    const created = await run.write(send, 'give-up');
    return { status: 'ok', remoteId: created.id };
  } catch (error) {
    if (!mayHaveApplied(error)) throw error;
    return { status: 'unknown', error: describeError(error) };
  }
}

/** Blocks re-creating an account whose create may have been applied. */
export async function markCreateUnknown(
  run: Pick<ActionRun, 'record'>,
  action: PlannedAction,
  applied: AppliedAccountValues,
): Promise<void> {
  const key = action.account;
  await run.record(`the unknown outcome of creating account ${key} could not be recorded`, async (store) => {
    if ((await store.getAccount(key))?.accountId == null) await store.markAccountCreateUnknown(key, applied);
  });
}
