import type { AccountStatus, ManifestKind, OmnizeId } from './vocabulary.js';

/**
 * What the state store remembers of earlier runs: what the API cannot give back
 * (accounts, their last-applied values, agent fields the GET omits).
 * Password fingerprints are keyed HMACs, never the password or its SHA-256.
 */
export interface Remembered {
  accounts: RememberedAccount[];
  agents: RememberedAgent[];
  /** Kinds a manifest applied before had; a manifest that lost one never prunes. */
  kindsSeen: Record<ManifestKind, boolean>;
  /** Bumped on every change to the store; a saved plan records it. */
  serial: number;
}

export interface RememberedAccount {
  key: string;
  /** Null while an account create's outcome is unknown. */
  accountId: OmnizeId | null;
  /** `unknown`: a create was sent and its outcome never learnt; blocks re-creation until `state adopt`. */
  createState: 'known' | 'unknown';
  applied: AppliedAccountValues;
  passwordFingerprint?: string;
}

export interface AppliedAccountValues {
  email?: string;
  mainContact?: string;
  phone?: string;
  url?: string;
  licenseQuantity?: number;
  licenseCode?: string;
  status?: AccountStatus;
}

export interface RememberedAgent {
  accountId: OmnizeId;
  /** Lower-cased e-mail. */
  email: string;
  textLimit?: number;
  passwordFingerprint?: string;
}
