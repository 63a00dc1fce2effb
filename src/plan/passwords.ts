import type { Desired } from '../model/desired.js';
import type { SourceLocation } from '../model/source.js';
import { emailKey, type OmnizeId } from '../model/vocabulary.js';
import type { PlannedAction } from './action.js';

/**
 * An existing agent the state store has no record of, whose manifest row has a
 * password (CONTRACT §3): nothing is sent, because the agent may have changed
 * its password since the manifest's was first given to it (an adopted account);
 * after apply the manifest password's fingerprint is recorded, so that a later
 * change of the manifest password is sent. Names the agent only: it must never
 * carry a password, a digest or a fingerprint. Not an action: it makes no request.
 */
export interface PasswordToRecord {
  /** The account label (key or `#ID`), as on actions. */
  account: string;
  /** The Omnize account ID the state store records the agent under. */
  accountId: OmnizeId;
  /** As the manifest spells it; the store keys agents by its lower-cased form. */
  email: string;
  agentId: OmnizeId;
  source: SourceLocation;
}

/**
 * Gives apply the plain password an action needs, read from the Desired the plan
 * was made from (the plan itself never holds one). Returns undefined when the
 * action sends no manifest password: none at all, or one apply generates.
 * The returned text is a secret: hash it for the request and drop it.
 */
export type PasswordLookup = (action: PlannedAction) => string | undefined;

/**
 * The manifest's passwords for apply: an action's (called as a `PasswordLookup`),
 * and the one of an agent whose fingerprint is recorded without sending it
 * (`ofRecorded`). Every text it returns is a secret: fingerprint it and drop it.
 */
export interface ManifestPasswords extends PasswordLookup {
  ofRecorded(entry: PasswordToRecord): string | undefined;
}

/** Indexes the manifest's passwords once, by account key and by agent e-mail (unique in a manifest). */
export function passwordLookup(desired: Desired): ManifestPasswords {
  const accounts = new Map<string, string>();
  for (const account of desired.accounts) {
    if (account.password !== undefined) accounts.set(account.key, account.password);
  }
  const agents = new Map<string, string>();
  for (const agent of desired.agents) {
    if (agent.password !== undefined) agents.set(emailKey(agent.email), agent.password);
  }
  const ofAction = (action: PlannedAction): string | undefined => {
    switch (action.kind) {
      case 'account.create':
        return action.params.password === 'from-manifest' ? accounts.get(action.account) : undefined;
      case 'agent.create':
      case 'agent.update':
        return action.params.password === 'from-manifest'
          ? agents.get(emailKey(action.params.email))
          : undefined;
      default:
        return undefined;
    }
  };
  return Object.assign(ofAction, {
    ofRecorded: (entry: PasswordToRecord) => agents.get(emailKey(entry.email)),
  });
}
