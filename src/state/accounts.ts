import { InternalError, UsageError } from '../errors.js';
import type { AppliedAccountValues, RememberedAccount, RememberedAgent } from '../model/remembered.js';
import { type AccountStatus, emailKey, type OmnizeId, type Profile } from '../model/vocabulary.js';
import type { Sql } from './sql.js';

/** A remembered account plus when it was first recorded and when values were last applied to it. */
export interface AccountRecord extends RememberedAccount {
  recordedAt: string;
  /** Null when nothing was applied yet (adopted, or a create whose outcome is unknown). */
  lastAppliedAt: string | null;
}

/** A remembered agent plus when values were last applied to it. */
export interface AgentRecord extends RememberedAgent {
  lastAppliedAt: string;
}

/** What `adoptAccount` did: a new row, an unknown create resolved, another Omnize ID replaced, or nothing. */
export type AdoptOutcome = 'created' | 'resolved-unknown' | 'replaced' | 'unchanged';

/** Column of each applied value; the keys are the whole of AppliedAccountValues. */
export const APPLIED_COLUMNS = {
  email: 'email',
  mainContact: 'main_contact',
  phone: 'phone',
  url: 'url',
  licenseQuantity: 'license_quantity',
  licenseCode: 'license_code',
  status: 'status',
} as const satisfies Record<keyof AppliedAccountValues, string>;

export const APPLIED_KEYS = Object.keys(APPLIED_COLUMNS) as (keyof AppliedAccountValues)[];

export interface AccountRow {
  key: string;
  account_id: number | null;
  create_state: 'known' | 'unknown';
  email: string | null;
  main_contact: string | null;
  phone: string | null;
  url: string | null;
  license_quantity: number | null;
  license_code: string | null;
  status: AccountStatus | null;
  password_fingerprint: string | null;
  recorded_at: string;
  last_applied_at: string | null;
}

export interface AgentRow {
  account_id: number;
  email: string;
  text_limit: number | null;
  password_fingerprint: string | null;
  last_applied_at: string;
}

export function selectAccount(sql: Sql, key: string): AccountRecord | undefined {
  const row = sql.prepare('SELECT * FROM accounts WHERE key = ?').get(key) as AccountRow | undefined;
  return row === undefined ? undefined : toAccount(row);
}

export function selectAccounts(sql: Sql): AccountRecord[] {
  return (sql.prepare('SELECT * FROM accounts ORDER BY key').all() as AccountRow[]).map(toAccount);
}

export function selectAgents(sql: Sql, accountId?: OmnizeId): AgentRecord[] {
  const rows =
    accountId === undefined
      ? sql.prepare('SELECT * FROM agents ORDER BY account_id, email').all()
      : sql.prepare('SELECT * FROM agents WHERE account_id = ? ORDER BY email').all(accountId);
  return (rows as AgentRow[]).map(toAgent);
}

/** Replaces the row of `key` with a known account and exactly the values its create sent. */
export function writeCreatedAccount(
  sql: Sql,
  key: string,
  accountId: OmnizeId,
  applied: AppliedAccountValues,
  passwordFingerprint: string | undefined,
): void {
  assertIdFree(sql, accountId, key);
  writeWholeRow(sql, key, accountId, applied, passwordFingerprint ?? null, sql.now());
}

/** Records a create that was sent but whose outcome was never learnt; what it sent is kept for `state show`. */
export function writeUnknownCreate(sql: Sql, key: string, applied: AppliedAccountValues): void {
  const existing = selectAccount(sql, key);
  if (existing?.accountId != null) {
    throw new InternalError(
      `account "${key}" already has Omnize ID ${existing.accountId}; it cannot be created`,
    );
  }
  writeWholeRow(sql, key, null, applied, null, null);
}

/** Sets the given applied values (undefined ones are left as they are). */
export function writeAppliedValues(sql: Sql, key: string, applied: AppliedAccountValues): void {
  const keys = APPLIED_KEYS.filter((name) => applied[name] !== undefined);
  const assignments = [...keys.map((name) => `${APPLIED_COLUMNS[name]} = ?`), 'last_applied_at = ?'];
  const result = sql
    .prepare(`UPDATE accounts SET ${assignments.join(', ')} WHERE key = ?`)
    .run(...keys.map((name) => applied[name]), sql.now(), key);
  if (result.changes === 0)
    throw new InternalError(`no account "${key}" in the state store to record values for`);
}

/**
 * Ties `key` to an existing Omnize account. Unless the account already was
 * exactly that one, the applied values are cleared so the next apply sends
 * the manifest's fields once, and agent rows of a replaced ID are dropped.
 */
export function writeAdoption(sql: Sql, key: string, accountId: OmnizeId): AdoptOutcome {
  assertIdFree(sql, accountId, key);
  const existing = selectAccount(sql, key);
  if (existing?.accountId === accountId) return 'unchanged';
  if (existing?.accountId != null) deleteAgentsOf(sql, existing.accountId);
  writeWholeRow(sql, key, accountId, {}, null, null);
  if (existing === undefined) return 'created';
  return existing.createState === 'unknown' ? 'resolved-unknown' : 'replaced';
}

/** Removes the account row and the agent rows of its Omnize ID; undefined when the key is unknown. */
export function deleteAccount(sql: Sql, key: string): { account: AccountRecord; agents: number } | undefined {
  const account = selectAccount(sql, key);
  if (account === undefined) return undefined;
  sql.prepare('DELETE FROM accounts WHERE key = ?').run(key);
  const agents = account.accountId === null ? 0 : deleteAgentsOf(sql, account.accountId);
  return { account, agents };
}

/** The agent values apply records: what the GET omits, and what it sent for drift (CONTRACT §14). */
export interface AgentAppliedValues {
  textLimit?: number;
  passwordFingerprint?: string;
  name?: string;
  profile?: Profile;
}

/** Sets the given agent values (undefined ones are left as they are). */
export function writeAgentApplied(
  sql: Sql,
  accountId: OmnizeId,
  email: string,
  values: AgentAppliedValues,
): void {
  sql
    .prepare(
      `INSERT INTO agents (account_id, email, text_limit, password_fingerprint, name, profile, last_applied_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, email) DO UPDATE SET
         text_limit = coalesce(excluded.text_limit, text_limit),
         password_fingerprint = coalesce(excluded.password_fingerprint, password_fingerprint),
         name = coalesce(excluded.name, name),
         profile = coalesce(excluded.profile, profile),
         last_applied_at = excluded.last_applied_at`,
    )
    .run(
      accountId,
      emailKey(email),
      values.textLimit ?? null,
      values.passwordFingerprint ?? null,
      values.name ?? null,
      values.profile ?? null,
      sql.now(),
    );
}

/**
 * Fingerprints of passwords the agents kept (nothing was sent), one statement per
 * row in the caller's transaction. A fingerprint already on record is left alone:
 * it is that of a password actually sent. A new row's `last_applied_at` is when the
 * fingerprint was recorded; an existing row's stays, as nothing was applied.
 */
export function writeKeptPasswords(
  sql: Sql,
  records: readonly { accountId: OmnizeId; email: string; passwordFingerprint: string }[],
): void {
  const upsert = sql.prepare(
    `INSERT INTO agents (account_id, email, password_fingerprint, last_applied_at)
     VALUES (?, ?, ?, ?)
     ON CONFLICT (account_id, email) DO UPDATE SET
       password_fingerprint = coalesce(password_fingerprint, excluded.password_fingerprint)`,
  );
  const now = sql.now();
  for (const record of records) {
    upsert.run(record.accountId, emailKey(record.email), record.passwordFingerprint, now);
  }
}

export function deleteAgent(sql: Sql, accountId: OmnizeId, email: string): boolean {
  return (
    sql.prepare('DELETE FROM agents WHERE account_id = ? AND email = ?').run(accountId, emailKey(email))
      .changes > 0
  );
}

/** Drops what is remembered inside an account (its departments and memberships too); returns the agents dropped. */
function deleteAgentsOf(sql: Sql, accountId: OmnizeId): number {
  sql.prepare('DELETE FROM departments WHERE account_id = ?').run(accountId);
  sql.prepare('DELETE FROM memberships WHERE account_id = ?').run(accountId);
  return sql.prepare('DELETE FROM agents WHERE account_id = ?').run(accountId).changes;
}

function assertIdFree(sql: Sql, accountId: OmnizeId, key: string): void {
  const holder = sql
    .prepare('SELECT key FROM accounts WHERE account_id = ? AND key <> ?')
    .get(accountId, key) as { key: string } | undefined;
  if (holder !== undefined) {
    throw new UsageError(
      `Omnize account ${accountId} is already recorded for key "${holder.key}"; ` +
        `if that is wrong, run \`omnize-sync state forget ${holder.key}\` first`,
    );
  }
}

function writeWholeRow(
  sql: Sql,
  key: string,
  accountId: OmnizeId | null,
  applied: AppliedAccountValues,
  passwordFingerprint: string | null,
  lastAppliedAt: string | null,
): void {
  const columns = APPLIED_KEYS.map((name) => APPLIED_COLUMNS[name]);
  const updates = columns.map((column) => `${column} = excluded.${column}`);
  sql
    .prepare(
      `INSERT INTO accounts (key, account_id, create_state, ${columns.join(', ')},
         password_fingerprint, recorded_at, last_applied_at)
       VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')}, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET account_id = excluded.account_id,
         create_state = excluded.create_state, ${updates.join(', ')},
         password_fingerprint = excluded.password_fingerprint, last_applied_at = excluded.last_applied_at`,
    )
    .run(
      key,
      accountId,
      accountId === null ? 'unknown' : 'known',
      ...APPLIED_KEYS.map((name) => applied[name] ?? null),
      passwordFingerprint,
      sql.now(),
      lastAppliedAt,
    );
}

export function toAccount(row: AccountRow): AccountRecord {
  const applied: AppliedAccountValues = {};
  for (const name of APPLIED_KEYS) {
    const value = row[APPLIED_COLUMNS[name]];
    if (value !== null) (applied as Record<string, unknown>)[name] = value;
  }
  const account: AccountRecord = {
    key: row.key,
    accountId: row.account_id,
    createState: row.create_state,
    applied,
    recordedAt: row.recorded_at,
    lastAppliedAt: row.last_applied_at,
  };
  if (row.password_fingerprint !== null) account.passwordFingerprint = row.password_fingerprint;
  return account;
}

export function toAgent(row: AgentRow): AgentRecord {
  const agent: AgentRecord = {
    accountId: row.account_id,
    email: row.email,
    lastAppliedAt: row.last_applied_at,
  };
  if (row.text_limit !== null) agent.textLimit = row.text_limit;
  if (row.password_fingerprint !== null) agent.passwordFingerprint = row.password_fingerprint;
  return agent;
}
