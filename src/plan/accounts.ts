import type { DesiredAccount } from '../model/desired.js';
import type { AppliedAccountValues, Remembered } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { IdRef, Reason } from './action.js';
import type { PlanBuilder } from './builder.js';
import { changedFields, definedOnly } from './fields.js';
import type { AccountResolution, AccountScope } from './scope.js';

/** How the account's departments and agents are reached: its ID, or nothing when they must not be planned. */
export type ContentsAccess = { accountId: IdRef; createId?: string } | undefined;

/**
 * Plans the account-level actions of one scope and says whether its departments
 * and agents may be planned. Accounts cannot be read, so every comparison is
 * with the values last applied (Remembered); an unknown earlier value counts as
 * different, which is what makes adoption send every field once.
 */
export function planAccount(scope: AccountScope, builder: PlanBuilder, allowDelete: boolean): ContentsAccess {
  const { desired, remembered } = scope;
  if (remembered && remembered.accountId === null) {
    builder.notice({
      kind: 'create-outcome-unknown',
      account: scope.label,
      message:
        `account ${scope.label} was sent to the API earlier but the outcome was never learnt; nothing in it is planned. ` +
        `Find its Omnize ID and run: omnize-sync state adopt ${scope.label} ID`,
      ...(desired ? { source: desired.source } : {}),
    });
    return undefined;
  }
  if (desired === undefined)
    return scope.existingId === undefined ? undefined : { accountId: scope.existingId };
  if (remembered && desired.accountId !== undefined && desired.accountId !== remembered.accountId) {
    builder.notice({
      kind: 'account-id-conflict',
      account: scope.label,
      message: `account ${scope.label} has account_id ${desired.accountId} in the manifest but the state store knows it as ${remembered.accountId}; nothing in it is planned. Run omnize-sync state forget ${scope.label} to adopt the manifest's ID`,
      source: desired.source,
    });
    return undefined;
  }
  if (remembered?.applied.status === 'deleted' && desired.status !== 'deleted') {
    builder.notice({
      kind: 'account-deleted-earlier',
      account: scope.label,
      message: `account ${scope.label} was deleted by an earlier run; nothing in it is planned. To create it again, run omnize-sync state forget ${scope.label}`,
      source: desired.source,
    });
    return undefined;
  }
  if (desired.status === 'deleted') {
    if (scope.existingId !== undefined && remembered?.applied.status !== 'deleted') {
      planDelete(scope, desired, scope.existingId, builder, allowDelete);
    }
    return undefined;
  }
  if (scope.existingId === undefined) {
    const createId = planCreate(scope.label, desired, builder);
    return { accountId: { fromAction: createId }, createId };
  }
  planChanges(scope.label, desired, scope.existingId, remembered?.applied, builder);
  return { accountId: scope.existingId };
}

/** `POST /accounts` creates an active account without a license code: both follow as their own actions. */
function planCreate(label: string, desired: DesiredAccount, builder: PlanBuilder): string {
  const fields = { ...accountFields(desired), licenseQuantity: desired.licenseQuantity };
  const password = desired.password === undefined ? ('none' as const) : ('from-manifest' as const);
  const common = { account: label, target: label, source: desired.source };
  const reason = 'missing-remote' as const;
  const params = { ...fields, password };
  const createId = builder.add(
    { ...common, kind: 'account.create', before: {}, after: fields, reason, dependsOn: [], params },
    label,
  );
  const accountId = { fromAction: createId };
  const followUp = { ...common, dependsOn: [createId] };
  if (desired.licenseCode !== undefined) {
    const after = { licenseCode: desired.licenseCode };
    const codeParams = { accountId, ...after };
    builder.add(
      { ...followUp, kind: 'account.set_license_code', before: {}, after, reason, params: codeParams },
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
    };
    builder.add({ ...followUp, ...inactive, params: { accountId } }, label);
  }
  return createId;
}

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
      { ...common, kind: 'account.update', before, after, reason: reasonFor('field-changed'), params },
      label,
    );
  }
  const licenses = changedFields(current, { licenseQuantity: desired.licenseQuantity });
  if (licenses.count > 0) {
    const params = { accountId, licenseQuantity: desired.licenseQuantity };
    const reason = reasonFor('field-changed');
    builder.add({ ...common, kind: 'account.set_licenses', ...licenses, reason, params }, label);
  }
  const code = changedFields(current, { licenseCode: desired.licenseCode });
  if (code.count > 0 && desired.licenseCode !== undefined) {
    const params = { accountId, licenseCode: desired.licenseCode };
    const reason = reasonFor('field-changed');
    builder.add({ ...common, kind: 'account.set_license_code', ...code, reason, params }, label);
  }
  const status = changedFields(current, { status: desired.status });
  if (status.count > 0) {
    const kind = desired.status === 'inactive' ? 'account.deactivate' : 'account.activate';
    const reason = reasonFor(desired.status === 'inactive' ? 'marked-inactive' : 'marked-active');
    builder.add({ ...common, kind, ...status, reason, params: { accountId } }, label);
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
