import type { AppliedAccountValues } from '../model/remembered.js';
import type { OmnizeId } from '../model/vocabulary.js';
import { sha256Hex } from '../omnize/password.js';
import type { PlannedAction } from '../plan/action.js';
import type { PasswordLookup } from '../plan/passwords.js';
import type { Recorder } from './recorder.js';
import type { References } from './references.js';
import type { WriteClient } from './types.js';

/** What the executors of each kind of action work with. */
export interface ActionEnvironment {
  client: WriteClient;
  recorder: Recorder;
  references: References;
  passwords: PasswordLookup;
  fingerprint(plainPassword: string): string;
}

/** A manifest password ready to send: its digest for the request, its fingerprint for the state store. */
export interface PreparedPassword {
  sha256: string;
  fingerprint: string;
}

/**
 * Looks up the manifest's password of an action and prepares it; the plain text
 * is dropped here. Undefined when the action's password is not in the manifest
 * at hand (a saved plan applied with a different manifest).
 */
export function manifestPassword(
  env: ActionEnvironment,
  action: PlannedAction,
): PreparedPassword | undefined {
  const plain = env.passwords(action);
  if (plain === undefined) return undefined;
  return { sha256: sha256Hex(plain), fingerprint: env.fingerprint(plain) };
}

/**
 * Records values applied to an account. Nothing is recorded for an account the
 * manifest names only by ID; an account the store does not know yet (its
 * `account_id` adopted from the manifest) is adopted first, so its key is tied
 * to the ID from now on.
 */
export function rememberAccount(
  env: ActionEnvironment,
  action: PlannedAction,
  accountId: OmnizeId,
  applied: AppliedAccountValues,
): void {
  const key = action.account;
  if (key === `#${accountId}`) return;
  env.recorder.write(`what ${action.id} applied could not be recorded`, (store) => {
    if (store.getAccount(key) === undefined) store.adoptAccount(key, accountId);
    if (applied.status === 'deleted') store.recordAccountDeleted(key);
    else store.recordAccountApplied(key, applied);
  });
}
