import type { ManifestPasswords, PasswordToRecord } from '../plan/index.js';
import type { StateBackend } from '../state/index.js';

/**
 * Records the fingerprint of the manifest password of each existing agent the
 * plan found without a record (CONTRACT §3): the agent kept its password, as
 * nothing was sent, and from now on a manifest password that differs from this
 * one is. Called after the apply, unless the store refused writes. The plain passwords are
 * fingerprinted here and dropped; an agent whose password is not in the manifest
 * at hand is left unrecorded, so the next plan keeps its password again.
 * Returns how many fingerprints were recorded.
 */
export async function recordPasswords(
  entries: readonly PasswordToRecord[] | undefined,
  store: Pick<StateBackend, 'recordKeptPasswords'>,
  passwords: Pick<ManifestPasswords, 'ofRecorded'>,
  fingerprint: (plainPassword: string) => string,
): Promise<number> {
  const records = (entries ?? []).flatMap((entry) => {
    const plain = passwords.ofRecorded(entry);
    if (plain === undefined) return [];
    return [{ accountId: entry.accountId, email: entry.email, passwordFingerprint: fingerprint(plain) }];
  });
  if (records.length > 0) await store.recordKeptPasswords(records);
  return records.length;
}
