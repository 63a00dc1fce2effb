import type { SourceLocation } from './source.js';
import type { AccountStatus, Channel, EntityStatus, ManifestKind, OmnizeId, Profile } from './vocabulary.js';

/**
 * What the partner's manifest declares, after reading and validation.
 *
 * Optional fields follow CONTRACT §5: `undefined` means the file has no such
 * column (or, for scalar fields, an empty cell), so the value is not managed.
 * For the set-valued fields (`channels`, `departments`) a present column with
 * an empty cell is the empty list: "an empty cell means none".
 *
 * Holds plain-text passwords: never log, save or report a Desired value as a whole.
 */
export interface Desired {
  accounts: DesiredAccount[];
  departments: DesiredDepartment[];
  agents: DesiredAgent[];
  /** Which kinds the manifest had a sheet or file for; a lost sheet never prunes (CONTRACT §5). */
  kindsPresent: Record<ManifestKind, boolean>;
}

/** How a department or agent row names its account: by the partner's key, or by an Omnize ID. */
export type AccountRef = { key: string } | { accountId: OmnizeId };

export interface DesiredAccount {
  key: string;
  /** An existing Omnize account to adopt instead of creating one. */
  accountId?: OmnizeId;
  email: string;
  mainContact: string;
  phone?: string;
  url?: string;
  licenseQuantity: number;
  licenseCode?: string;
  /** Undefined when the file has no status column: not managed, created active. */
  status?: AccountStatus;
  /** Plain text; sent as its SHA-256 digest on create only. Secret. */
  password?: string;
  source: SourceLocation;
}

export interface DesiredDepartment {
  account: AccountRef;
  name: string;
  description?: string;
  status?: EntityStatus;
  /** Exactly these channels when defined (empty cell = none); not managed when undefined. */
  channels?: Channel[];
  source: SourceLocation;
}

export interface DesiredAgent {
  account: AccountRef;
  email: string;
  name: string;
  profile?: Profile;
  textLimit?: number;
  /** Department names of the same account: exactly these when defined, not managed when undefined. */
  departments?: string[];
  /** Plain text; sent as its SHA-256 digest. Secret. When absent on create, a random one is generated. */
  password?: string;
  source: SourceLocation;
}
