/**
 * The sandbox's data: what a `--data` file and a fixture hold, and what
 * `RunningSandbox.data()` returns. Field names are the API's own (`ativo`,
 * `administrator`, `telefone`) because this is the simulated server's
 * database, not the program's domain model. Plain passwords are never
 * stored: only the SHA-256 digest the client sent.
 */

import type { Channel } from '../model/vocabulary.js';

/** An account as a data file may give it: `id`, `email` and `main_contact` are required, the rest defaults. */
export interface SandboxAccountInput {
  id: number;
  email: string;
  main_contact: string;
  telefone?: string | null;
  url?: string | null;
  /** Default 0. */
  license_quantity?: number;
  license_code?: string | null;
  /** Default 1. */
  ativo?: 0 | 1;
  /** A deleted account is invisible to the API but kept, like the real server's soft delete. Default false. */
  deleted?: boolean;
  /** The digest sent on create, if any. Never the plain password. */
  password_sha256?: string | null;
  /** `YYYY-MM-DD HH:MM:SS` (UTC), as the document shows; default: when the sandbox loaded it. */
  date_creation?: string;
  change_date?: string;
}

/** An agent as a data file may give it. */
export interface SandboxAgentInput {
  id: number;
  account_id: number;
  email: string;
  name: string;
  /** `"SIM"` for an ADMIN profile, `"NAO"` for AGENT (default). */
  administrator?: 'SIM' | 'NAO';
  /** Default 1. */
  ativo?: 0 | 1;
  text_limit?: number | null;
  /** The digest sent on create or update; null for seeded agents whose password is unknown. */
  password_sha256?: string | null;
  date_creation?: string;
  change_date?: string;
}

/** A department as a data file may give it. `agent_ids` must be agents of the same account. */
export interface SandboxDepartmentInput {
  id: number;
  account_id: number;
  name: string;
  description?: string;
  ativo?: 0 | 1;
  channels?: Channel[];
  agent_ids?: number[];
  date_creation?: string;
  change_date?: string;
}

export type SandboxAccount = Required<SandboxAccountInput>;
export type SandboxAgent = Required<SandboxAgentInput>;
export type SandboxDepartment = Required<SandboxDepartmentInput>;

/** A complete data set, every field present: the format of `--data` files written by the sandbox. JSON-serialisable. */
export interface SandboxData {
  accounts: SandboxAccount[];
  agents: SandboxAgent[];
  departments: SandboxDepartment[];
}

/** A data set as a person or a test writes it: any list may be absent and most fields default. */
export interface SandboxDataInput {
  accounts?: SandboxAccountInput[];
  agents?: SandboxAgentInput[];
  departments?: SandboxDepartmentInput[];
}

/** The smallest ids given to new objects (each kind counts up from its own base, or from above the highest id loaded). */
export const FIRST_IDS = { account: 1000, agent: 10000, department: 500 } as const;

export function emptySandboxData(): SandboxData {
  return { accounts: [], agents: [], departments: [] };
}

/** The document's timestamp format: `2017-06-20 20:24:51`, taken here in UTC. */
export function documentTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
