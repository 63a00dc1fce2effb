import { InternalError, UsageError } from '../../errors.js';
import type { AppliedAccountValues } from '../../model/remembered.js';
import { emailKey, type OmnizeId } from '../../model/vocabulary.js';
import {
  type AccountRecord,
  type AccountRow,
  type AdoptOutcome,
  type AgentRecord,
  type AgentRow,
  APPLIED_COLUMNS,
  APPLIED_KEYS,
  toAccount,
  toAgent,
} from '../accounts.js';
import type { AgentAppliedValues, KeptPassword } from '../backend.js';
import type { Tx } from './pool.js';

/**
 * The accounts and agents tables in PostgreSQL: the same rules as accounts.ts (the SQLite
 * store's), statement for statement, run in the caller's transaction. `now` is the ISO time the
 * store's clock gives.
 */

type Query = Pick<Tx, 'query'>;

export async function selectAccount(tx: Query, key: string): Promise<AccountRecord | undefined> {
  const { rows } = await tx.query<AccountRow>('SELECT * FROM accounts WHERE key = $1', [key]);
  return rows[0] === undefined ? undefined : toAccount(rows[0]);
}

export async function selectAccounts(tx: Query): Promise<AccountRecord[]> {
  const { rows } = await tx.query<AccountRow>('SELECT * FROM accounts ORDER BY key COLLATE "C"');
  return rows.map(toAccount);
}

export async function selectAgents(tx: Query, accountId?: OmnizeId): Promise<AgentRecord[]> {
  const { rows } =
    accountId === undefined
      ? await tx.query<AgentRow>('SELECT * FROM agents ORDER BY account_id, email COLLATE "C"')
      : await tx.query<AgentRow>('SELECT * FROM agents WHERE account_id = $1 ORDER BY email COLLATE "C"', [
          accountId,
        ]);
  return rows.map(toAgent);
}

export async function writeCreatedAccount(
  tx: Tx,
  now: string,
  key: string,
  accountId: OmnizeId,
  applied: AppliedAccountValues,
  passwordFingerprint: string | undefined,
): Promise<void> {
  await assertIdFree(tx, accountId, key);
  await writeWholeRow(tx, now, key, accountId, applied, passwordFingerprint ?? null, now);
}

export async function writeUnknownCreate(
  tx: Tx,
  now: string,
  key: string,
  applied: AppliedAccountValues,
): Promise<void> {
  const existing = await selectAccount(tx, key);
  if (existing?.accountId != null) {
    throw new InternalError(
      `account "${key}" already has Omnize ID ${existing.accountId}; it cannot be created`,
    );
  }
  await writeWholeRow(tx, now, key, null, applied, null, null);
}

export async function writeAppliedValues(
  tx: Tx,
  now: string,
  key: string,
  applied: AppliedAccountValues,
): Promise<void> {
  const keys = APPLIED_KEYS.filter((name) => applied[name] !== undefined);
  const assignments = [
    ...keys.map((name, index) => `${APPLIED_COLUMNS[name]} = $${index + 1}`),
    `last_applied_at = $${keys.length + 1}`,
  ];
  const result = await tx.query(
    `UPDATE accounts SET ${assignments.join(', ')} WHERE key = $${keys.length + 2}`,
    [...keys.map((name) => applied[name]), now, key],
  );
  if (result.rowCount === 0) {
    throw new InternalError(`no account "${key}" in the state store to record values for`);
  }
}

export async function writeAdoption(
  tx: Tx,
  now: string,
  key: string,
  accountId: OmnizeId,
): Promise<AdoptOutcome> {
  await assertIdFree(tx, accountId, key);
  const existing = await selectAccount(tx, key);
  if (existing?.accountId === accountId) return 'unchanged';
  if (existing?.accountId != null) await deleteAgentsOf(tx, existing.accountId);
  await writeWholeRow(tx, now, key, accountId, {}, null, null);
  if (existing === undefined) return 'created';
  return existing.createState === 'unknown' ? 'resolved-unknown' : 'replaced';
}

export async function deleteAccount(
  tx: Tx,
  key: string,
): Promise<{ account: AccountRecord; agents: number } | undefined> {
  const account = await selectAccount(tx, key);
  if (account === undefined) return undefined;
  await tx.query('DELETE FROM accounts WHERE key = $1', [key]);
  const agents = account.accountId === null ? 0 : await deleteAgentsOf(tx, account.accountId);
  return { account, agents };
}

export async function writeAgentApplied(
  tx: Query,
  now: string,
  accountId: OmnizeId,
  email: string,
  values: AgentAppliedValues,
): Promise<void> {
  await tx.query(
    `INSERT INTO agents AS a (account_id, email, text_limit, password_fingerprint, name, profile, last_applied_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (account_id, email) DO UPDATE SET
       text_limit = coalesce(excluded.text_limit, a.text_limit),
       password_fingerprint = coalesce(excluded.password_fingerprint, a.password_fingerprint),
       name = coalesce(excluded.name, a.name),
       profile = coalesce(excluded.profile, a.profile),
       last_applied_at = excluded.last_applied_at`,
    [
      accountId,
      emailKey(email),
      values.textLimit ?? null,
      values.passwordFingerprint ?? null,
      values.name ?? null,
      values.profile ?? null,
      now,
    ],
  );
}

/** One statement for all the rows (an adopted account can bring thousands), as unnest of arrays. */
export async function writeKeptPasswords(
  tx: Tx,
  now: string,
  records: readonly KeptPassword[],
): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO agents AS a (account_id, email, password_fingerprint, last_applied_at)
     SELECT DISTINCT ON (account_id, email) account_id, email, fingerprint, $4
       FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS r(account_id, email, fingerprint, n)
       ORDER BY account_id, email, n
     ON CONFLICT (account_id, email) DO UPDATE SET
       password_fingerprint = coalesce(a.password_fingerprint, excluded.password_fingerprint)`,
    [
      records.map((record) => record.accountId),
      records.map((record) => emailKey(record.email)),
      records.map((record) => record.passwordFingerprint),
      now,
    ],
  );
}

export async function deleteAgent(tx: Tx, accountId: OmnizeId, email: string): Promise<boolean> {
  const result = await tx.query('DELETE FROM agents WHERE account_id = $1 AND email = $2', [
    accountId,
    emailKey(email),
  ]);
  return (result.rowCount ?? 0) > 0;
}

async function deleteAgentsOf(tx: Tx, accountId: OmnizeId): Promise<number> {
  return (await tx.query('DELETE FROM agents WHERE account_id = $1', [accountId])).rowCount ?? 0;
}

async function assertIdFree(tx: Query, accountId: OmnizeId, key: string): Promise<void> {
  const { rows } = await tx.query<{ key: string }>(
    'SELECT key FROM accounts WHERE account_id = $1 AND key <> $2',
    [accountId, key],
  );
  const holder = rows[0];
  if (holder !== undefined) {
    throw new UsageError(
      `Omnize account ${accountId} is already recorded for key "${holder.key}"; ` +
        `if that is wrong, run \`omnize-sync state forget ${holder.key}\` first`,
    );
  }
}

async function writeWholeRow(
  tx: Query,
  now: string,
  key: string,
  accountId: OmnizeId | null,
  applied: AppliedAccountValues,
  passwordFingerprint: string | null,
  lastAppliedAt: string | null,
): Promise<void> {
  const columns = APPLIED_KEYS.map((name) => APPLIED_COLUMNS[name]);
  const updates = columns.map((column) => `${column} = excluded.${column}`);
  const values = [
    key,
    accountId,
    accountId === null ? 'unknown' : 'known',
    ...APPLIED_KEYS.map((name) => applied[name] ?? null),
    passwordFingerprint,
    now,
    lastAppliedAt,
  ];
  await tx.query(
    `INSERT INTO accounts (key, account_id, create_state, ${columns.join(', ')},
       password_fingerprint, recorded_at, last_applied_at)
     VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')})
     ON CONFLICT (key) DO UPDATE SET account_id = excluded.account_id,
       create_state = excluded.create_state, ${updates.join(', ')},
       password_fingerprint = excluded.password_fingerprint, last_applied_at = excluded.last_applied_at`,
    values,
  );
}
