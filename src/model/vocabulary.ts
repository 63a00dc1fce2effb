/** The closed vocabularies of the domain, shared by the manifest, the client, the planner and the sandbox. */

export const CHANNELS = ['chat', 'video', 'audio'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PROFILES = ['AGENT', 'ADMIN'] as const;
export type Profile = (typeof PROFILES)[number];

/** Accounts can also be deleted; departments only (de)activated; agents cannot be deactivated through the API. */
export const ACCOUNT_STATUSES = ['active', 'inactive', 'deleted'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const ENTITY_STATUSES = ['active', 'inactive'] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

/** The three kinds of manifest rows (XLSX sheet names, CSV file-name prefixes). */
export const MANIFEST_KINDS = ['accounts', 'departments', 'agents'] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/** Omnize IDs are numbers inside the program; the client turns them into strings where the API wants strings. */
export type OmnizeId = number;

/** Names are matched case-insensitively with surrounding spaces trimmed (CONTRACT §4). */
export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase('pt-BR');
}

/** E-mails are matched case-insensitively (CONTRACT §3, §4). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
