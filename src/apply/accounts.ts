import { InternalError } from '../errors.js';
import type { AppliedAccountValues } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { AccountCreateParams, ActionOf, IdRef, PlannedAction } from '../plan/action.js';
import type { ActionRun } from './action-run.js';
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

/** Runs one account action and records what it applied. */
export async function runAccountAction(run: ActionRun, action: ActionOf<AccountKind>): Promise<Settled> {
  const { client } = run.context;
  switch (action.kind) {
    case 'account.create':
      return createAccount(run, action);
    case 'account.update': {
      const { accountId, ...fields } = action.params;
      return changeAccount(run, accountId, (id) => client.updateAccount(id, fields), fields);
    }
    case 'account.activate':
      return changeAccount(run, action.params.accountId, (id) => client.activateAccount(id), {
        status: 'active',
      });
    case 'account.deactivate':
      return changeAccount(run, action.params.accountId, (id) => client.deactivateAccount(id), {
        status: 'inactive',
      });
    case 'account.delete':
      return changeAccount(run, action.params.accountId, (id) => client.deleteAccount(id), {
        status: 'deleted',
      });
    case 'account.set_licenses': {
      const { accountId, licenseQuantity } = action.params;
      const send = (id: OmnizeId) => client.setLicenseQuantity(id, licenseQuantity);
      return changeAccount(run, accountId, send, { licenseQuantity });
    }
    case 'account.set_license_code': {
      const { accountId, licenseCode } = action.params;
      const send = (id: OmnizeId) => client.setLicenseCode(id, licenseCode);
      return changeAccount(run, accountId, send, { licenseCode });
    }
  }
}

async function changeAccount(
  run: ActionRun,
  ref: IdRef,
  send: (accountId: OmnizeId) => Promise<void>,
  applied: AppliedAccountValues,
): Promise<Settled> {
  const accountId = run.resolve(ref);
  await run.write(() => send(accountId));
  rememberAccount(run, accountId, applied);
  return { status: 'ok' };
}

/**
 * Records values applied to an account. Nothing is recorded for an account the
 * manifest names only by ID; an account the store does not know yet (its
 * `account_id` adopted from the manifest) is adopted first, so its key is tied
 * to the ID from now on.
 */
function rememberAccount(run: ActionRun, accountId: OmnizeId, applied: AppliedAccountValues): void {
  const key = run.action.account;
  if (key === `#${accountId}`) return;
  run.record(`what ${run.action.id} applied could not be recorded`, (store) => {
    if (store.getAccount(key) === undefined) store.adoptAccount(key, accountId);
    if (applied.status === 'deleted') store.recordAccountDeleted(key);
    else store.recordAccountApplied(key, applied);
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
async function createAccount(run: ActionRun, action: ActionOf<'account.create'>): Promise<Settled> {
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
      if (mayHaveApplied(error)) markCreateUnknown(run, action, applied);
      throw error;
    }
    run.record(
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
export function markCreateUnknown(
  run: Pick<ActionRun, 'record'>,
  action: PlannedAction,
  applied: AppliedAccountValues,
): void {
  const key = action.account;
  run.record(`the unknown outcome of creating account ${key} could not be recorded`, (store) => {
    if (store.getAccount(key)?.accountId == null) store.markAccountCreateUnknown(key, applied);
  });
}
