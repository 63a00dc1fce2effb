import type { Desired } from '../model/desired.js';
import { emailKey } from '../model/vocabulary.js';
import type { PlannedAction } from './action.js';
import type { PasswordToRecord } from './types.js';

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
