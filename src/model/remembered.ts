import type { AccountStatus, ManifestKind, OmnizeId, Profile } from './vocabulary.js';

/**
 * What the state store remembers of earlier runs: what the API cannot give back
 * (accounts, their last-applied values, agent fields the GET omits).
 * Password fingerprints are keyed HMACs, never the password or its SHA-256.
 */
export interface Remembered {
  accounts: RememberedAccount[];
  agents: RememberedAgent[];
  /**
   * Last values apply made of each department's fields, by Omnize ID (CONTRACT §14: drift).
   * Absent in a Remembered made before drift was recorded: nothing is recorded.
   */
  departments?: RememberedDepartment[];
  /** Memberships (agents and channels of departments) apply last made or undid; absent like `departments`. */
  memberships?: RememberedMembership[];
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
  /** The name and profile apply last sent (CONTRACT §14); absent when none was recorded. */
  name?: string;
  profile?: Profile;
}

/** A department's fields as apply last sent them; each absent when none was recorded. Never a secret. */
export interface RememberedDepartment {
  accountId: OmnizeId;
  departmentId: OmnizeId;
  name?: string;
  description?: string;
  active?: boolean;
}

/**
 * One membership apply made (`present: true`: added, or sent in a department's create) or undid
 * (`present: false`: removed): an agent, by lower-cased e-mail, or a channel of a department.
 */
export interface RememberedMembership {
  accountId: OmnizeId;
  departmentId: OmnizeId;
  kind: 'agent' | 'channel';
  /** The agent's lower-cased e-mail, or the channel. */
  member: string;
  present: boolean;
}
