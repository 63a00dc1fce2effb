import type { AppliedAccountValues, Remembered } from '../model/remembered.js';
import type { ManifestKind, OmnizeId } from '../model/vocabulary.js';
import type { AccountRecord, AdoptOutcome, AgentAppliedValues, AgentRecord } from './accounts.js';
import type { AdoptionLine, AdoptManyResult } from './adopt-many.js';
import type { DepartmentAppliedValues, MembershipChange } from './departments.js';
import type { JournalBeginInput, JournalEntry, JournalSettlement } from './journal.js';
import type { LockHolder, LockRequest, LockResult } from './lock.js';
import type { Onlooker, RunEntry, RunFinish, RunStart } from './runs.js';

export type { AgentAppliedValues } from './accounts.js';

/**
 * The state store as the rest of the program uses it, once for both backends (CONTRACT §16):
 * the SQLite file (`SqliteBackend`, over the synchronous `StateStore`) and a PostgreSQL database
 * (`PostgresStateStore`). Every method that touches the store returns a Promise, so a caller
 * written against this interface runs on either.
 *
 * `fingerprint` alone is synchronous: the store's HMAC key is read when the store is opened, and
 * computing a fingerprint is arithmetic, not I/O (the planner calls it per agent).
 */
export interface StateBackend {
  readonly kind: 'sqlite' | 'postgres';
  /** For messages: the file's path, or the URL with its password as `***`. Never the password. */
  readonly display: string;
  close(): Promise<void>;

  /** Counts changes to what `remembered()` returns (not the journal, not the lock). */
  serial(): Promise<number>;
  /** Everything a plan needs from earlier runs, read consistently. */
  remembered(): Promise<Remembered>;
  /** The keyed fingerprint of a plain-text password; the same store always gives the same value. */
  fingerprint(password: string): string;

  getAccount(key: string): Promise<AccountRecord | undefined>;
  listAccounts(): Promise<AccountRecord[]>;
  listAgents(accountId?: OmnizeId): Promise<AgentRecord[]>;
  recordAccountCreated(
    key: string,
    accountId: OmnizeId,
    applied: AppliedAccountValues,
    passwordFingerprint?: string,
  ): Promise<void>;
  recordAccountApplied(key: string, applied: AppliedAccountValues): Promise<void>;
  markAccountCreateUnknown(key: string, applied: AppliedAccountValues): Promise<void>;
  adoptAccount(key: string, accountId: OmnizeId): Promise<AdoptOutcome>;
  adoptAccounts(lines: readonly AdoptionLine[]): Promise<AdoptManyResult>;
  forgetAccount(key: string): Promise<{ account: AccountRecord; agents: number } | undefined>;
  recordAccountDeleted(key: string): Promise<void>;
  recordAgentApplied(accountId: OmnizeId, email: string, values: AgentAppliedValues): Promise<void>;
  recordKeptPasswords(records: readonly KeptPassword[]): Promise<void>;
  forgetAgent(accountId: OmnizeId, email: string): Promise<boolean>;
  recordKindsSeen(kinds: Iterable<ManifestKind>): Promise<void>;
  /** A department create or write succeeded: the values it sent (drift, CONTRACT §14). */
  recordDepartmentApplied(
    accountId: OmnizeId,
    departmentId: OmnizeId,
    values: DepartmentAppliedValues,
  ): Promise<void>;
  /** Agents or channels added to a department (or sent in its create), or removed from it. */
  recordMemberships(change: MembershipChange): Promise<void>;

  /** The rate `--rate auto` learned for the API at `baseUrl` (CONTRACT §15). Not remembered state: no serial. */
  learnedRate(baseUrl: string): Promise<number | undefined>;
  saveLearnedRate(baseUrl: string, rate: number): Promise<void>;

  /** The run history (CONTRACT §13), bookkeeping like the journal: the serial stays. */
  recordRunStarted(start: RunStart): Promise<void>;
  /** A run's end; a run refused before it started is written whole. */
  recordRunFinished(start: RunStart, finish: RunFinish): Promise<void>;
  recordRunNotified(runId: string, at: Date): Promise<void>;
  /** Marks `died` the runs left `running` by a process that is gone; resolves with their IDs. */
  markDiedRuns(onlooker: Omit<Onlooker, 'now'>, exceptRunId?: string): Promise<string[]>;
  /** The run history, newest first. */
  runs(options?: { limit?: number; command?: string }): Promise<RunEntry[]>;

  /** Records a write request before it is sent; its ID is for `journalSettle`. */
  journalBegin(input: JournalBeginInput): Promise<number>;
  /** False when the entry was settled already (the first settlement wins). */
  journalSettle(entryId: number, settlement: JournalSettlement): Promise<boolean>;
  /**
   * Group commit: the group's records, then its settlements, then its entries, in ONE
   * transaction, all or none. Resolves with the entries' IDs, in order, once committed: a
   * request may leave only then.
   */
  journalGroup(group: JournalGroup): Promise<number[]>;
  unsettledJournal(options?: { exceptRunId?: string }): Promise<JournalEntry[]>;
  journalOfRun(runId: string): Promise<JournalEntry[]>;
  markJournalResolved(entryIds: readonly number[], resolution: string): Promise<number>;

  /** Takes the run lock unless a live run holds it; a dead holder's is taken over (`tookOverFrom`). */
  acquireLock(request: LockRequest): Promise<LockResult>;
  /** Renews the lock; false means it is no longer this run's and the run must stop writing. */
  heartbeat(runId: string): Promise<boolean>;
  releaseLock(runId: string): Promise<boolean>;
  lockHolder(): Promise<LockHolder | undefined>;
}

export interface KeptPassword {
  accountId: OmnizeId;
  email: string;
  passwordFingerprint: string;
}

/**
 * A record that may lag with a journal group (journal-batch.ts `later`): only the next plan reads
 * it, and it can read it again from the live state if it is lost. Data, not a callback, so a
 * group can be written by a backend whose transaction is asynchronous.
 */
export type LaggingRecord =
  | { kind: 'agent-applied'; accountId: OmnizeId; email: string; values: AgentAppliedValues }
  | {
      kind: 'department-applied';
      accountId: OmnizeId;
      departmentId: OmnizeId;
      values: DepartmentAppliedValues;
    }
  | { kind: 'memberships'; change: MembershipChange };

/** One group commit of the write journal. */
export interface JournalGroup {
  records?: readonly LaggingRecord[];
  settlements?: readonly { entryId: number; settlement: JournalSettlement }[];
  begins?: readonly JournalBeginInput[];
  /** Must outlive a power cut (an account create's entry); PostgreSQL commits are always flushed. */
  durable?: boolean;
}
