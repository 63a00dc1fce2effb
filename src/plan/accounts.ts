import type { DesiredAccount } from '../model/desired.js';
import type { AppliedAccountValues, Remembered } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { Cause, IdRef, Reason } from './action.js';
import type { PlanBuilder } from './builder.js';
import { changedFields, definedOnly, type FieldChanges } from './fields.js';
import type { AccountResolution, AccountScope } from './scope.js';
import type { Notice } from './types.js';

/** How the account's departments and agents are reached: its ID, or nothing when they must not be planned. */
export type ContentsAccess = { accountId: IdRef; createId?: string } | undefined;

/**
 * Plans the account-level actions of one scope and says whether its departments
 * and agents may be planned. Accounts cannot be read, so every comparison is
 * with the values last applied (Remembered); an unknown earlier value counts as
 * different, which is what makes adoption send every field once.
 */
export function planAccount(scope: AccountScope, builder: PlanBuilder, allowDelete: boolean): ContentsAccess {
  const blocked = blockingNotice(scope);
  if (blocked !== undefined) {
    builder.notice(blocked);
    return undefined;
  }
  const { desired, remembered, existingId } = scope;
  if (desired === undefined) return existingId === undefined ? undefined : { accountId: existingId };
  if (desired.status === 'deleted') {
    if (existingId !== undefined && remembered?.applied.status !== 'deleted') {
      planDelete(scope, desired, existingId, builder, allowDelete);
    }
    return undefined;
  }
  if (existingId === undefined) {
    const createId = planCreate(scope.label, desired, builder);
    return { accountId: { fromAction: createId }, createId };
  }
  planChanges(scope.label, desired, existingId, remembered?.applied, builder);
  return { accountId: existingId };
}

/**
 * Why nothing may be planned for an account until a person repairs the state
 * store: a create whose outcome is unknown (creating again could make a
 * duplicate), an `account_id` that disagrees with the remembered one, or an
 * account an earlier run deleted.
 */
function blockingNotice(scope: AccountScope): Notice | undefined {
  const { desired, remembered, label } = scope;
  const source = desired ? { source: desired.source } : {};
  if (remembered?.accountId === null) {
    const message =
      `account ${label} was sent to the API earlier but the outcome was never learnt; nothing in it is planned. ` +
      `Find its Omnize ID and run: omnize-sync state adopt ${label} ID`;
    return { kind: 'create-outcome-unknown', account: label, message, ...source };
  }
  if (remembered && desired?.accountId !== undefined && desired.accountId !== remembered.accountId) {
    const message =
      `account ${label} has account_id ${desired.accountId} in the manifest but the state store knows it as ` +
      `${remembered.accountId}; nothing in it is planned. Run omnize-sync state forget ${label} to adopt the manifest's ID`;
    return { kind: 'account-id-conflict', account: label, message, ...source };
  }
  if (remembered?.applied.status === 'deleted' && desired?.status !== 'deleted') {
    const message =
      `account ${label} was deleted by an earlier run; nothing in it is planned. ` +
      `To create it again, run omnize-sync state forget ${label}`;
    return { kind: 'account-deleted-earlier', account: label, message, ...source };
  }
  return undefined;
}

/** `POST /accounts` creates an active account without a license code: both follow as their own actions. */
function planCreate(label: string, desired: DesiredAccount, builder: PlanBuilder): string {
  const fields = { ...accountFields(desired), licenseQuantity: desired.licenseQuantity };
  const password = desired.password === undefined ? ('none' as const) : ('from-manifest' as const);
  const common = { account: label, target: label, source: desired.source };
  const reason = 'missing-remote' as const;
  const params = { ...fields, password };
  const createId = builder.add(
    {
      ...common,
      kind: 'account.create',
      before: {},
      after: fields,
      reason,
      cause: 'new',
      dependsOn: [],
      params,
    },
    label,
  );
  const accountId = { fromAction: createId };
  const followUp = { ...common, dependsOn: [createId] };
  if (desired.licenseCode !== undefined) {
    const after = { licenseCode: desired.licenseCode };
    const codeParams = { accountId, ...after };
    builder.add(
      {
        ...followUp,
        kind: 'account.set_license_code',
        before: {},
        after,
        reason,
        cause: 'new',
        params: codeParams,
      },
      label,
    );
  }
  if (desired.status === 'inactive') {
    const [before, after] = [{ status: 'active' }, { status: 'inactive' }];
    const inactive = {
      kind: 'account.deactivate' as const,
      before,
      after,
      reason: 'marked-inactive' as const,
      cause: 'new' as const,
    };
    builder.add({ ...followUp, ...inactive, params: { accountId } }, label);
  }
  return createId;
}

/**
 * An existing account: one `account.update` carrying every account field the
 * manifest manages when any differs, and one action per license quantity,
 * license code and status that differs.
 */
function planChanges(
  label: string,
  desired: DesiredAccount,
  accountId: OmnizeId,
  applied: AppliedAccountValues | undefined,
  builder: PlanBuilder,
): void {
  const adopted = applied === undefined;
  const current = applied ?? {};
  const reasonFor = (reason: Reason): Reason => (adopted ? 'adopted' : reason);
  const common = { account: label, target: label, dependsOn: [], source: desired.source };
  const fields = accountFields(desired);
  const fieldChanges = changedFields(current, fields);
  if (fieldChanges.count > 0) {
    const { before, after } = fieldChanges;
    const params = { accountId, ...fields };
    builder.add(
      {
        ...common,
        kind: 'account.update',
        before,
        after,
        reason: reasonFor('field-changed'),
        cause: recordedCause(fieldChanges),
        params,
      },
      label,
    );
  }
  const licenses = changedFields(current, { licenseQuantity: desired.licenseQuantity });
  if (licenses.count > 0) {
    const params = { accountId, licenseQuantity: desired.licenseQuantity };
    const reason = reasonFor('field-changed');
    const cause = recordedCause(licenses);
    builder.add({ ...common, kind: 'account.set_licenses', ...licenses, reason, cause, params }, label);
  }
  const code = changedFields(current, { licenseCode: desired.licenseCode });
  if (code.count > 0 && desired.licenseCode !== undefined) {
    const params = { accountId, licenseCode: desired.licenseCode };
    const reason = reasonFor('field-changed');
    const cause = recordedCause(code);
    builder.add({ ...common, kind: 'account.set_license_code', ...code, reason, cause, params }, label);
  }
  const status = changedFields(current, { status: desired.status });
  if (status.count > 0) {
    const kind = desired.status === 'inactive' ? 'account.deactivate' : 'account.activate';
    const reason = reasonFor(desired.status === 'inactive' ? 'marked-inactive' : 'marked-active');
    const cause = recordedCause(status);
    builder.add({ ...common, kind, ...status, reason, cause, params: { accountId } }, label);
  }
}

function planDelete(
  scope: AccountScope,
  desired: DesiredAccount,
  accountId: OmnizeId,
  builder: PlanBuilder,
  allowDelete: boolean,
): void {
  builder.add(
    {
      kind: 'account.delete',
      account: scope.label,
      target: scope.label,
      before: { status: scope.remembered?.applied.status ?? null },
      after: { status: 'deleted' },
      reason: 'marked-deleted',
      cause: 'manifest',
      dependsOn: [],
      source: desired.source,
      params: { accountId },
      ...(allowDelete ? {} : { requires: 'allow-delete' as const }),
    },
    scope.label,
  );
  if (!allowDelete) {
    builder.notice({
      kind: 'needs-allow-delete',
      account: scope.label,
      message: `account ${scope.label} is marked deleted; it is deleted only when the run is given --allow-delete`,
      source: desired.source,
    });
  }
}

/**
 * With `--prune`, accounts the state store remembers but the manifest no longer
 * names are deactivated (CONTRACT §5), unless already inactive or deleted.
 * Accounts whose create outcome is unknown have no ID and are left alone.
 */
export function pruneAbsentAccounts(
  remembered: Remembered,
  resolution: AccountResolution,
  builder: PlanBuilder,
): void {
  for (const account of remembered.accounts) {
    const accountId = account.accountId;
    if (accountId === null || resolution.namedKeys.has(account.key) || resolution.namedIds.has(accountId))
      continue;
    builder.inScope += 1;
    const status = account.applied.status;
    if (status === 'inactive' || status === 'deleted') continue;
    builder.add(
      {
        kind: 'account.deactivate',
        account: account.key,
        target: account.key,
        before: { status: status ?? null },
        after: { status: 'inactive' },
        reason: 'absent-from-manifest',
        cause: 'manifest',
        dependsOn: [],
        params: { accountId },
      },
      account.key,
    );
  }
}

/** The account fields `POST /accounts` and `PUT /accounts/:id` carry; phone and url only when the manifest has them. */
function accountFields(desired: DesiredAccount): {
  email: string;
  mainContact: string;
  phone?: string;
  url?: string;
} {
  return definedOnly({
    email: desired.email,
    mainContact: desired.mainContact,
    phone: desired.phone,
    url: desired.url,
  });
}

/**
 * Accounts cannot be read, so their fields are compared with the values last applied only: a
 * change is the manifest's when that value was recorded, `new` when it was not (an adoption).
 */
function recordedCause(changes: FieldChanges): Cause {
  return Object.values(changes.before).some((value) => value !== null) ? 'manifest' : 'new';
}
