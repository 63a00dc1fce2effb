import type pg from 'pg';
import type { AppliedAccountValues, Remembered } from '../../model/remembered.js';
import { MANIFEST_KINDS, type ManifestKind, type OmnizeId } from '../../model/vocabulary.js';
import type { AccountRecord, AdoptOutcome } from '../accounts.js';
import {
  type AdoptionCounts,
  type AdoptionLine,
  type AdoptManyResult,
  checkAdoptionLines,
} from '../adopt-many.js';
import type {
  AgentAppliedValues,
  JournalGroup,
  KeptPassword,
  LaggingRecord,
  StateBackend,
} from '../backend.js';
import type { DepartmentAppliedValues, MembershipChange } from '../departments.js';
import { assertFingerprint, computeFingerprint, newFingerprintKey } from '../fingerprint.js';
import { JOURNAL_RETENTION_DAYS, type JournalBeginInput, type JournalSettlement } from '../journal.js';
import { LOCK_STALE_AFTER_MS, type LockRequest, type LockResult, prunesJournal } from '../lock.js';
import type { Onlooker, RunEntry, RunFinish, RunStart } from '../runs.js';
import * as accounts from './accounts.js';
import { type PasswordSources, type PostgresTarget, resolvePostgresTarget } from './connection.js';
import * as drift from './drift.js';
import * as journal from './journal.js';
import * as lock from './lock.js';
import { connectionError, createPool, inTransaction, type Tx } from './pool.js';
import * as history from './runs.js';
import { migratePostgres, type PostgresMigration } from './schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PostgresStoreOptions extends PasswordSources {
  /** The clock for every time the store writes, the lease included; absent: the database's for the lease. */
  now?: () => Date;
  /** A heartbeat older than this means its holder is dead (tests shorten it). */
  staleAfterMs?: number;
  /** The schema history (tests add steps); POSTGRES_MIGRATIONS by default. */
  migrations?: readonly PostgresMigration[];
}

/**
 * The state store in a PostgreSQL database (CONTRACT §16): everything the SQLite file holds, in
 * the same tables, behind the same interface, for several machines sharing one state. Each
 * method is one transaction; `journalGroup` is one for a whole group (group commit). Every
 * commit is flushed by the server (synchronous_commit), so `durable` changes nothing here.
 *
 * The serial counts changes to remembered state as in SQLite: it is bumped in the transaction of
 * any write that changed a row of accounts, agents or kinds_seen.
 */
export class PostgresStateStore implements StateBackend {
  readonly kind = 'postgres' as const;
  readonly display: string;
  private readonly pool: pg.Pool;
  private readonly clock: (() => Date) | undefined;
  private readonly staleAfterMs: number;
  private fingerprintKey: Buffer = Buffer.alloc(0);

  private constructor(target: PostgresTarget, options: PostgresStoreOptions) {
    this.display = target.redactedUrl;
    this.pool = createPool(target);
    this.clock = options.now;
    this.staleAfterMs = options.staleAfterMs ?? LOCK_STALE_AFTER_MS;
  }

  /** Connects, migrates and reads the fingerprint key; a database it cannot use is a UsageError naming the URL (redacted). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStateStore> {
    const store = new PostgresStateStore(resolvePostgresTarget(url, options), options);
    try {
      const client = await store.pool.connect();
      try {
        await migratePostgres(client, store.display, options.migrations);
      } finally {
        client.release();
      }
      store.fingerprintKey = await store.loadFingerprintKey();
      return store;
    } catch (error) {
      await store.pool.end().catch(() => {});
      throw connectionError(error, store.display);
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  async serial(): Promise<number> {
    return readSerial(this.pool);
  }

  async remembered(): Promise<Remembered> {
    // REPEATABLE READ: one snapshot for the six reads, as SQLite's one transaction gives.
    return inTransaction(
      this.pool,
      async (tx) => {
        const seen = new Set(
          (await tx.query<{ kind: string }>('SELECT kind FROM kinds_seen')).rows.map((row) => row.kind),
        );
        const kindsSeen = Object.fromEntries(MANIFEST_KINDS.map((kind) => [kind, seen.has(kind)]));
        const stored = await accounts.selectAccounts(tx);
        return {
          accounts: stored.map(({ recordedAt, lastAppliedAt, ...account }) => account),
          agents: await drift.selectRememberedAgents(tx),
          departments: await drift.selectRememberedDepartments(tx),
          memberships: await drift.selectRememberedMemberships(tx),
          kindsSeen: kindsSeen as Record<ManifestKind, boolean>,
          serial: await readSerial(tx),
        };
      },
      'REPEATABLE READ',
    );
  }

  fingerprint(password: string): string {
    return computeFingerprint(this.fingerprintKey, password);
  }

  getAccount(key: string) {
    return accounts.selectAccount(this.pool, key);
  }

  listAccounts() {
    return accounts.selectAccounts(this.pool);
  }

  listAgents(accountId?: OmnizeId) {
    return accounts.selectAgents(this.pool, accountId);
  }

  async recordAccountCreated(
    key: string,
    accountId: OmnizeId,
    applied: AppliedAccountValues,
    passwordFingerprint?: string,
  ): Promise<void> {
    assertFingerprint(passwordFingerprint);
    await this.change((tx, now) =>
      accounts.writeCreatedAccount(tx, now, key, accountId, applied, passwordFingerprint),
    );
  }

  async recordAccountApplied(key: string, applied: AppliedAccountValues): Promise<void> {
    await this.change((tx, now) => accounts.writeAppliedValues(tx, now, key, applied));
  }

  async markAccountCreateUnknown(key: string, applied: AppliedAccountValues): Promise<void> {
    await this.change((tx, now) => accounts.writeUnknownCreate(tx, now, key, applied));
  }

  adoptAccount(key: string, accountId: OmnizeId): Promise<AdoptOutcome> {
    return this.change((tx, now) => accounts.writeAdoption(tx, now, key, accountId));
  }

  /** All or nothing, as adopt-many.ts: every check first, against the rows as they are in this transaction. */
  adoptAccounts(lines: readonly AdoptionLine[]): Promise<AdoptManyResult> {
    return this.change(async (tx, now) => {
      // FOR UPDATE: the rows checked cannot change before they are written.
      const stored = (
        await tx.query<{ key: string; account_id: number | null }>(
          'SELECT key, account_id FROM accounts FOR UPDATE',
        )
      ).rows.map((row) => ({ key: row.key, accountId: row.account_id }));
      const refusals = checkAdoptionLines(stored, lines);
      if (refusals.length > 0) return { adopted: false, refusals };
      const counts: AdoptionCounts = { created: 0, unchanged: 0, 'resolved-unknown': 0 };
      for (const line of lines) {
        const outcome = await accounts.writeAdoption(tx, now, line.key, Number(line.accountId));
        if (outcome === 'replaced') throw new Error(`key "${line.key}" was re-pointed after its check`);
        counts[outcome] += 1;
      }
      return { adopted: true, counts };
    });
  }

  forgetAccount(key: string): Promise<{ account: AccountRecord; agents: number } | undefined> {
    return this.change((tx) => accounts.deleteAccount(tx, key));
  }

  async recordAccountDeleted(key: string): Promise<void> {
    await this.change((tx, now) => accounts.writeAppliedValues(tx, now, key, { status: 'deleted' }));
  }

  async recordAgentApplied(accountId: OmnizeId, email: string, values: AgentAppliedValues): Promise<void> {
    assertFingerprint(values.passwordFingerprint);
    await this.change((tx, now) => accounts.writeAgentApplied(tx, now, accountId, email, values));
  }

  async recordKeptPasswords(records: readonly KeptPassword[]): Promise<void> {
    for (const record of records) assertFingerprint(record.passwordFingerprint);
    await this.change((tx, now) => accounts.writeKeptPasswords(tx, now, records));
  }

  forgetAgent(accountId: OmnizeId, email: string): Promise<boolean> {
    return this.change((tx) => accounts.deleteAgent(tx, accountId, email));
  }

  async recordKindsSeen(kinds: Iterable<ManifestKind>): Promise<void> {
    const list = [...new Set(kinds)];
    await this.change(async (tx, now) => {
      if (list.length === 0) return;
      await tx.query(
        `INSERT INTO kinds_seen (kind, first_seen_at) SELECT unnest($1::text[]), $2
         ON CONFLICT (kind) DO NOTHING`,
        [list, now],
      );
    });
  }

  async recordDepartmentApplied(
    accountId: OmnizeId,
    departmentId: OmnizeId,
    values: DepartmentAppliedValues,
  ): Promise<void> {
    await this.change((tx, now) => drift.writeDepartmentApplied(tx, now, accountId, departmentId, values));
  }

  async recordMemberships(change: MembershipChange): Promise<void> {
    await this.change((tx) => drift.writeMemberships(tx, change));
  }

  learnedRate(baseUrl: string): Promise<number | undefined> {
    return drift.selectLearnedRate(this.pool, baseUrl);
  }

  async saveLearnedRate(baseUrl: string, rate: number): Promise<void> {
    await this.transaction((tx, now) => drift.writeLearnedRate(tx, now, baseUrl, rate));
  }

  async recordRunStarted(start: RunStart): Promise<void> {
    await this.transaction((tx) => history.insertRunStart(tx, start));
  }

  async recordRunFinished(start: RunStart, finish: RunFinish): Promise<void> {
    await this.transaction((tx) => history.writeRunFinish(tx, start, finish));
  }

  async recordRunNotified(runId: string, at: Date): Promise<void> {
    await this.transaction((tx) => history.writeRunNotified(tx, runId, at.toISOString()));
  }

  markDiedRuns(onlooker: Omit<Onlooker, 'now'>, exceptRunId?: string): Promise<string[]> {
    return this.transaction((tx, now) => history.markDiedRuns(tx, { ...onlooker, now }, exceptRunId));
  }

  runs(options: { limit?: number; command?: string } = {}): Promise<RunEntry[]> {
    return history.selectRuns(this.pool, options);
  }

  async journalBegin(input: JournalBeginInput): Promise<number> {
    const [id] = await this.journalGroup({ begins: [input] });
    return id as number;
  }

  journalSettle(entryId: number, settlement: JournalSettlement): Promise<boolean> {
    return this.transaction((tx, now) => journal.settleJournalEntry(tx, now, entryId, settlement));
  }

  /**
   * One transaction: records, settlements (one UPDATE for all), then entries (one INSERT for all);
   * the serial follows the records. Four round trips for a group of any size besides its records.
   */
  journalGroup(group: JournalGroup): Promise<number[]> {
    const records = group.records ?? [];
    for (const record of records) {
      if (record.kind === 'agent-applied') assertFingerprint(record.values.passwordFingerprint);
    }
    return this.transaction(async (tx, now) => {
      for (const record of records) await writeLagging(tx, now, record);
      if (tx.changes > 0) await bumpSerial(tx);
      await journal.settleJournalEntries(tx, now, group.settlements ?? []);
      return journal.insertJournalEntries(tx, now, group.begins ?? []);
    });
  }

  unsettledJournal(options: { exceptRunId?: string } = {}) {
    return journal.selectUnsettled(this.pool, options.exceptRunId);
  }

  journalOfRun(runId: string) {
    return journal.selectRunJournal(this.pool, runId);
  }

  markJournalResolved(entryIds: readonly number[], resolution: string): Promise<number> {
    return this.transaction((tx, now) => journal.resolveJournalEntries(tx, now, entryIds, resolution));
  }

  /** See postgres/lock.ts; taking it also drops journal entries finished over JOURNAL_RETENTION_DAYS ago. */
  acquireLock(request: LockRequest): Promise<LockResult> {
    return inTransaction(this.pool, async (tx) => {
      const { result, now } = await lock.takeLock(tx, request, this.clockNow(), this.staleAfterMs);
      if (result.acquired && prunesJournal(request)) {
        await journal.pruneJournal(tx, new Date(Date.parse(now) - JOURNAL_RETENTION_DAYS * DAY_MS));
      }
      return result;
    });
  }

  heartbeat(runId: string): Promise<boolean> {
    return lock.refreshHeartbeat(this.pool, runId, this.clockNow());
  }

  releaseLock(runId: string): Promise<boolean> {
    return lock.deleteLock(this.pool, runId);
  }

  lockHolder() {
    return lock.selectHolder(this.pool);
  }

  private clockNow(): string | undefined {
    return this.clock?.().toISOString();
  }

  private transaction<T>(work: (tx: Tx, now: string) => Promise<T>): Promise<T> {
    const now = (this.clock ?? (() => new Date()))().toISOString();
    return inTransaction(this.pool, (tx) => work(tx, now));
  }

  /** A write to remembered state: the serial is bumped in the same transaction when any row changed. */
  private change<T>(work: (tx: Tx, now: string) => Promise<T>): Promise<T> {
    return this.transaction(async (tx, now) => {
      const result = await work(tx, now);
      if (tx.changes > 0) await bumpSerial(tx);
      return result;
    });
  }

  /** The store's HMAC key, made at its first open; ON CONFLICT DO NOTHING lets two first opens race safely. */
  private async loadFingerprintKey(): Promise<Buffer> {
    await this.pool.query(
      "INSERT INTO meta (name, value) VALUES ('fingerprint_key', $1) ON CONFLICT (name) DO NOTHING",
      [newFingerprintKey().toString('hex')],
    );
    const { rows } = await this.pool.query<{ value: string }>(
      "SELECT value FROM meta WHERE name = 'fingerprint_key'",
    );
    return Buffer.from(rows[0]?.value ?? '', 'hex');
  }
}

async function readSerial(tx: Pick<Tx, 'query'>): Promise<number> {
  const { rows } = await tx.query<{ value: string }>("SELECT value FROM meta WHERE name = 'serial'");
  return Number(rows[0]?.value ?? 0);
}

async function bumpSerial(tx: Tx): Promise<void> {
  await tx.query("UPDATE meta SET value = (value::bigint + 1)::text WHERE name = 'serial'");
}

async function writeLagging(tx: Tx, now: string, record: LaggingRecord): Promise<void> {
  switch (record.kind) {
    case 'agent-applied':
      return accounts.writeAgentApplied(tx, now, record.accountId, record.email, record.values);
    case 'department-applied':
      return drift.writeDepartmentApplied(tx, now, record.accountId, record.departmentId, record.values);
    case 'memberships':
      return drift.writeMemberships(tx, record.change);
  }
}
