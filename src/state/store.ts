import type { Database } from 'better-sqlite3';
import { InternalError } from '../errors.js';
import type { AppliedAccountValues, Remembered } from '../model/remembered.js';
import { MANIFEST_KINDS, type ManifestKind, type OmnizeId } from '../model/vocabulary.js';
import {
  type AccountRecord,
  type AdoptOutcome,
  type AgentAppliedValues,
  type AgentRecord,
  deleteAccount,
  deleteAgent,
  selectAccount,
  selectAccounts,
  selectAgents,
  writeAdoption,
  writeAgentApplied,
  writeAppliedValues,
  writeCreatedAccount,
  writeKeptPasswords,
  writeUnknownCreate,
} from './accounts.js';
import { type AdoptionLine, type AdoptManyResult, adoptMany } from './adopt-many.js';
import {
  type DepartmentAppliedValues,
  type MembershipChange,
  writeDepartmentApplied,
  writeMemberships,
} from './departments.js';
import { assertFingerprint, computeFingerprint, loadFingerprintKey } from './fingerprint.js';
import {
  insertJournalEntry,
  JOURNAL_RETENTION_DAYS,
  type JournalBeginInput,
  type JournalEntry,
  type JournalSettlement,
  pruneJournal,
  resolveJournalEntries,
  selectRunJournal,
  selectUnsettled,
  settleJournalEntry,
} from './journal.js';
import { selectLearnedRate, writeLearnedRate } from './learned-rate.js';
import {
  deleteLock,
  type LockHolder,
  type LockRequest,
  type LockResult,
  prunesJournal,
  refreshHeartbeat,
  selectHolder,
  takeLock,
} from './lock.js';
import { isPostgresUrl, redactUrlPasswords } from './postgres/connection.js';
import {
  selectRememberedAgents,
  selectRememberedDepartments,
  selectRememberedMemberships,
} from './remembered.js';
import {
  insertRunStart,
  markDiedRuns,
  type Onlooker,
  type RunEntry,
  type RunFinish,
  type RunStart,
  selectRuns,
  writeRunFinish,
  writeRunNotified,
} from './runs.js';
import { migrate } from './schema.js';
import { createSql, openDatabase, type Sql, SYNCHRONOUS } from './sql.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface StateStoreOptions {
  /** The clock; tests give their own. */
  now?: () => Date;
}

/**
 * The SQLite state store (one file, WAL). It remembers what the API cannot
 * give back — each account's key, Omnize ID and last-applied values, agent
 * fields the GET omits, which manifest kinds were applied — and holds the
 * write journal and the run lock.
 *
 * `serial()` counts changes to what `remembered()` returns; it is bumped in
 * the same transaction as each such change. The journal and the lock are a
 * run's bookkeeping, not something a plan is made from, so they leave the
 * serial alone (a heartbeat every few seconds would otherwise make every
 * saved plan stale).
 *
 * Never holds a token, a password or a password's SHA-256: passwords are kept
 * as keyed fingerprints only (`fingerprint`), and journal summaries are masked.
 */
export class StateStore {
  readonly path: string;
  private readonly database: Database;
  private readonly sql: Sql;
  private readonly fingerprintKey: Buffer;
  /** Inside `journalGroup`, whose one commit decides durability (SQLite refuses a change of it mid-transaction). */
  private grouping = false;

  private constructor(path: string, database: Database, options: StateStoreOptions) {
    this.path = path;
    this.database = database;
    this.sql = createSql(database, options.now ?? (() => new Date()));
    this.fingerprintKey = loadFingerprintKey(this.sql);
  }

  /** Opens (creating the file and its folder if needed) and migrates the store at `path`. */
  static open(path: string, options: StateStoreOptions = {}): StateStore {
    if (isPostgresUrl(path)) {
      // A URL must never become a file name: a PostgreSQL store is opened by openStateBackend (open.ts).
      throw new InternalError(`StateStore.open was given the PostgreSQL URL ${redactUrlPasswords(path)}`);
    }
    const database = openDatabase(path);
    try {
      migrate(database, path);
      return new StateStore(path, database, options);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /** Runs `work` with commits flushed to disk (FULL), for what must survive a power cut, not only a crash. */
  private durably<T>(work: () => T): T {
    this.database.pragma(`synchronous = ${SYNCHRONOUS.durable}`);
    try {
      return work();
    } finally {
      this.database.pragma(`synchronous = ${SYNCHRONOUS.routine}`);
    }
  }

  close(): void {
    if (this.database.open) this.database.close();
  }

  /** The rate `--rate auto` learned for the API at `baseUrl` (CONTRACT §15), if a run learned one. */
  learnedRate(baseUrl: string): number | undefined {
    return selectLearnedRate(this.sql, baseUrl);
  }

  /** Keeps what `--rate auto` learned, for the next run against `baseUrl`. Not a change a plan is made from: the serial stays. */
  saveLearnedRate(baseUrl: string, rate: number): void {
    writeLearnedRate(this.sql, baseUrl, rate);
  }

  serial(): number {
    return this.sql.prepare("SELECT value FROM meta WHERE name = 'serial'").pluck().get() as number;
  }

  /** Everything a plan needs from earlier runs, read in one transaction so it is consistent. */
  remembered(): Remembered {
    return this.database.transaction(() => {
      const seen = new Set(this.sql.prepare('SELECT kind FROM kinds_seen').pluck().all() as string[]);
      const kindsSeen = Object.fromEntries(MANIFEST_KINDS.map((kind) => [kind, seen.has(kind)]));
      return {
        accounts: selectAccounts(this.sql).map(({ recordedAt, lastAppliedAt, ...account }) => account),
        agents: selectRememberedAgents(this.sql),
        departments: selectRememberedDepartments(this.sql),
        memberships: selectRememberedMemberships(this.sql),
        kindsSeen: kindsSeen as Record<ManifestKind, boolean>,
        serial: this.serial(),
      };
    })();
  }

  /** The keyed fingerprint of a plain-text password (see fingerprint.ts); the same store always gives the same value. */
  fingerprint(password: string): string {
    return computeFingerprint(this.fingerprintKey, password);
  }

  getAccount(key: string): AccountRecord | undefined {
    return selectAccount(this.sql, key);
  }

  listAccounts(): AccountRecord[] {
    return selectAccounts(this.sql);
  }

  listAgents(accountId?: OmnizeId): AgentRecord[] {
    return selectAgents(this.sql, accountId);
  }

  /** A create succeeded: commit the new ID and exactly what the create sent. */
  recordAccountCreated(
    key: string,
    accountId: OmnizeId,
    applied: AppliedAccountValues,
    passwordFingerprint?: string,
  ): void {
    assertFingerprint(passwordFingerprint);
    this.durably(() =>
      this.change(() => writeCreatedAccount(this.sql, key, accountId, applied, passwordFingerprint)),
    );
  }

  /** An update succeeded: set the values it sent (undefined ones stay). The key must be known. */
  recordAccountApplied(key: string, applied: AppliedAccountValues): void {
    this.change(() => writeAppliedValues(this.sql, key, applied));
  }

  /** A create was sent and its outcome is unknown: the key is blocked from being created again until adopted. */
  markAccountCreateUnknown(key: string, applied: AppliedAccountValues): void {
    this.durably(() => this.change(() => writeUnknownCreate(this.sql, key, applied)));
  }

  /**
   * Ties `key` to an existing Omnize account (also resolves an unknown create).
   * Unless it already was that account, its applied values are cleared so the
   * next apply sends the manifest's fields once.
   */
  adoptAccount(key: string, accountId: OmnizeId): AdoptOutcome {
    return this.durably(() => this.change(() => writeAdoption(this.sql, key, accountId)));
  }

  /**
   * Adopts many keys in one transaction, all or nothing (see adopt-many.ts):
   * when any line is refused, the refusals come back and nothing is written.
   */
  adoptAccounts(lines: readonly AdoptionLine[]): AdoptManyResult {
    return this.durably(() => this.change(() => adoptMany(this.sql, lines)));
  }

  /**
   * Drops the account and the agent rows of its Omnize ID (they would
   * otherwise hide differences if the ID were adopted again). The account in
   * Omnize is untouched. Undefined when the key is unknown.
   */
  forgetAccount(key: string): { account: AccountRecord; agents: number } | undefined {
    return this.change(() => deleteAccount(this.sql, key));
  }

  /**
   * The account was deleted in Omnize. The row is kept, marked `deleted`, so
   * that the same manifest applied again plans nothing (a forgotten key would
   * look new and be created again).
   */
  recordAccountDeleted(key: string): void {
    this.change(() => writeAppliedValues(this.sql, key, { status: 'deleted' }));
  }

  /**
   * An agent create, update or profile change succeeded: set the values it sent that the API
   * does not return, and the name and profile it sent (drift, CONTRACT §14).
   */
  recordAgentApplied(accountId: OmnizeId, email: string, values: AgentAppliedValues): void {
    assertFingerprint(values.passwordFingerprint);
    this.change(() => writeAgentApplied(this.sql, accountId, email, values));
  }

  /** A department create or write succeeded: set the values it sent (drift, CONTRACT §14). */
  recordDepartmentApplied(
    accountId: OmnizeId,
    departmentId: OmnizeId,
    values: DepartmentAppliedValues,
  ): void {
    this.change(() => writeDepartmentApplied(this.sql, accountId, departmentId, values));
  }

  /** Agents or channels were added to a department (or sent in its create), or removed from it. */
  recordMemberships(change: MembershipChange): void {
    this.change(() => writeMemberships(this.sql, change));
  }

  /**
   * Existing agents that had no record kept their passwords (CONTRACT §3): records
   * only the manifest password's fingerprint of each, so a later change of it is
   * sent. One transaction for all: an adopted account can bring thousands.
   */
  recordKeptPasswords(
    records: readonly { accountId: OmnizeId; email: string; passwordFingerprint: string }[],
  ): void {
    for (const record of records) assertFingerprint(record.passwordFingerprint);
    this.change(() => writeKeptPasswords(this.sql, records));
  }

  forgetAgent(accountId: OmnizeId, email: string): boolean {
    return this.change(() => deleteAgent(this.sql, accountId, email));
  }

  /** Adds the kinds an applied manifest had. Kinds are never removed: a manifest that lost a sheet must not prune. */
  recordKindsSeen(kinds: Iterable<ManifestKind>): void {
    this.change(() => {
      const insert = this.sql.prepare('INSERT OR IGNORE INTO kinds_seen (kind, first_seen_at) VALUES (?, ?)');
      for (const kind of kinds) insert.run(kind, this.sql.now());
    });
  }

  /** Records a write request before it is sent; returns the entry's ID for `journalSettle`. */
  journalBegin(input: JournalBeginInput): number {
    // Inside a group, its transaction holds the entry (a nested one would add a savepoint per entry).
    if (this.grouping) return insertJournalEntry(this.sql, input);
    const begin = () => this.transaction(() => insertJournalEntry(this.sql, input));
    // An account create cannot be looked up afterwards: its journal entry must outlive a power cut.
    return input.kind === 'account.create' ? this.durably(begin) : begin();
  }

  /**
   * Runs journal writes (`journalBegin`, `journalSettle`, and records that may lag with them) in
   * one transaction: one commit for the requests of a whole group (group commit). `durable`:
   * flushed to disk, as an account create's entry must be (see `journalBegin`).
   */
  journalGroup<T>(work: () => T, durable = false): T {
    const group = () => {
      this.grouping = true;
      try {
        return this.transaction(work);
      } finally {
        this.grouping = false;
      }
    };
    return durable ? this.durably(group) : group();
  }

  /** Records the outcome of a journalled request; false if it was settled already. */
  journalSettle(entryId: number, settlement: JournalSettlement): boolean {
    if (this.grouping) return settleJournalEntry(this.sql, entryId, settlement);
    return this.transaction(() => settleJournalEntry(this.sql, entryId, settlement));
  }

  /** Entries begun but never settled nor resolved: left by a run that died mid-request. */
  unsettledJournal(options: { exceptRunId?: string } = {}): JournalEntry[] {
    return selectUnsettled(this.sql, options.exceptRunId);
  }

  journalOfRun(runId: string): JournalEntry[] {
    return selectRunJournal(this.sql, runId);
  }

  /** A later run dealt with these unsettled entries (looked them up, say); `resolution` says how. */
  markJournalResolved(entryIds: readonly number[], resolution: string): number {
    return this.transaction(() => resolveJournalEntries(this.sql, entryIds, resolution));
  }

  /**
   * Takes the run lock unless a live run holds it; a dead holder's lock is
   * taken over (`tookOverFrom`: log a warning). Taking it also drops journal
   * entries finished more than JOURNAL_RETENTION_DAYS ago.
   */
  acquireLock(request: LockRequest): LockResult {
    return this.transaction(() => {
      const result = takeLock(this.sql, request);
      if (result.acquired && prunesJournal(request)) {
        pruneJournal(this.sql, new Date(Date.parse(this.sql.now()) - JOURNAL_RETENTION_DAYS * DAY_MS));
      }
      return result;
    });
  }

  /** Refreshes the lock's heartbeat; false means the lock is no longer this run's and it must stop writing. */
  heartbeat(runId: string): boolean {
    return refreshHeartbeat(this.sql, runId);
  }

  releaseLock(runId: string): boolean {
    return deleteLock(this.sql, runId);
  }

  lockHolder(): LockHolder | undefined {
    return selectHolder(this.sql);
  }

  /** The run history (runs.ts): a plan or apply starting. Bookkeeping, like the journal: the serial stays. */
  recordRunStarted(start: RunStart): void {
    this.transaction(() => insertRunStart(this.sql, start));
  }

  /** A run's end; a run refused before it started is written whole. */
  recordRunFinished(start: RunStart, finish: RunFinish): void {
    this.transaction(() => writeRunFinish(this.sql, start, finish));
  }

  recordRunNotified(runId: string, at: Date): void {
    this.transaction(() => writeRunNotified(this.sql, runId, at.toISOString()));
  }

  /** Marks `died` the runs left `running` by a process that is gone; returns their IDs. */
  markDiedRuns(onlooker: Omit<Onlooker, 'now'>, exceptRunId?: string): string[] {
    return this.transaction(() => markDiedRuns(this.sql, { ...onlooker, now: this.sql.now() }, exceptRunId));
  }

  /** The run history, newest first. */
  runs(options: { limit?: number; command?: string } = {}): RunEntry[] {
    return selectRuns(this.sql, options);
  }

  private transaction<T>(work: () => T): T {
    return this.sql.write(work);
  }

  /** A write to remembered state: the serial is bumped in the same transaction when any row changed. */
  private change<T>(work: () => T): T {
    return this.transaction(() => {
      const before = this.totalChanges();
      const result = work();
      if (this.totalChanges() > before) {
        this.sql.prepare("UPDATE meta SET value = value + 1 WHERE name = 'serial'").run();
      }
      return result;
    });
  }

  private totalChanges(): number {
    return this.sql.prepare('SELECT total_changes()').pluck().get() as number;
  }
}
