import type { AppliedAccountValues } from '../model/remembered.js';
import type { ManifestKind, OmnizeId } from '../model/vocabulary.js';
import type { AdoptionLine } from './adopt-many.js';
import type {
  AgentAppliedValues,
  JournalGroup,
  KeptPassword,
  LaggingRecord,
  StateBackend,
} from './backend.js';
import type { DepartmentAppliedValues, MembershipChange } from './departments.js';
import type { JournalBeginInput, JournalSettlement } from './journal.js';
import type { LockRequest } from './lock.js';
import type { Onlooker, RunFinish, RunStart } from './runs.js';
import { StateStore, type StateStoreOptions } from './store.js';

/**
 * The SQLite file behind the asynchronous interface: each method calls the synchronous
 * `StateStore` and hands its answer back as a Promise, so nothing about the file changes
 * (same transactions, same durability). A thrown error becomes a rejection.
 */
export class SqliteBackend implements StateBackend {
  readonly kind = 'sqlite' as const;
  readonly display: string;

  constructor(readonly store: StateStore) {
    this.display = store.path;
  }

  static open(path: string, options: StateStoreOptions = {}): SqliteBackend {
    return new SqliteBackend(StateStore.open(path, options));
  }

  async close() {
    this.store.close();
  }
  async serial() {
    return this.store.serial();
  }
  async remembered() {
    return this.store.remembered();
  }
  fingerprint(password: string) {
    return this.store.fingerprint(password);
  }
  async getAccount(key: string) {
    return this.store.getAccount(key);
  }
  async listAccounts() {
    return this.store.listAccounts();
  }
  async listAgents(accountId?: OmnizeId) {
    return this.store.listAgents(accountId);
  }
  async recordAccountCreated(
    key: string,
    accountId: OmnizeId,
    applied: AppliedAccountValues,
    passwordFingerprint?: string,
  ) {
    this.store.recordAccountCreated(key, accountId, applied, passwordFingerprint);
  }
  async recordAccountApplied(key: string, applied: AppliedAccountValues) {
    this.store.recordAccountApplied(key, applied);
  }
  async markAccountCreateUnknown(key: string, applied: AppliedAccountValues) {
    this.store.markAccountCreateUnknown(key, applied);
  }
  async adoptAccount(key: string, accountId: OmnizeId) {
    return this.store.adoptAccount(key, accountId);
  }
  async adoptAccounts(lines: readonly AdoptionLine[]) {
    return this.store.adoptAccounts(lines);
  }
  async forgetAccount(key: string) {
    return this.store.forgetAccount(key);
  }
  async recordAccountDeleted(key: string) {
    this.store.recordAccountDeleted(key);
  }
  async recordAgentApplied(accountId: OmnizeId, email: string, values: AgentAppliedValues) {
    this.store.recordAgentApplied(accountId, email, values);
  }
  async recordKeptPasswords(records: readonly KeptPassword[]) {
    this.store.recordKeptPasswords(records);
  }
  async forgetAgent(accountId: OmnizeId, email: string) {
    return this.store.forgetAgent(accountId, email);
  }
  async recordKindsSeen(kinds: Iterable<ManifestKind>) {
    this.store.recordKindsSeen(kinds);
  }
  async recordDepartmentApplied(
    accountId: OmnizeId,
    departmentId: OmnizeId,
    values: DepartmentAppliedValues,
  ) {
    this.store.recordDepartmentApplied(accountId, departmentId, values);
  }
  async recordMemberships(change: MembershipChange) {
    this.store.recordMemberships(change);
  }
  async learnedRate(baseUrl: string) {
    return this.store.learnedRate(baseUrl);
  }
  async saveLearnedRate(baseUrl: string, rate: number) {
    this.store.saveLearnedRate(baseUrl, rate);
  }
  async recordRunStarted(start: RunStart) {
    this.store.recordRunStarted(start);
  }
  async recordRunFinished(start: RunStart, finish: RunFinish) {
    this.store.recordRunFinished(start, finish);
  }
  async recordRunNotified(runId: string, at: Date) {
    this.store.recordRunNotified(runId, at);
  }
  async markDiedRuns(onlooker: Omit<Onlooker, 'now'>, exceptRunId?: string) {
    return this.store.markDiedRuns(onlooker, exceptRunId);
  }
  async runs(options: { limit?: number; command?: string } = {}) {
    return this.store.runs(options);
  }
  async journalBegin(input: JournalBeginInput) {
    return this.store.journalBegin(input);
  }
  async journalSettle(entryId: number, settlement: JournalSettlement) {
    return this.store.journalSettle(entryId, settlement);
  }
  async journalGroup(group: JournalGroup) {
    const { store } = this;
    return store.journalGroup(() => {
      for (const record of group.records ?? []) writeLagging(store, record);
      for (const { entryId, settlement } of group.settlements ?? []) store.journalSettle(entryId, settlement);
      return (group.begins ?? []).map((input) => store.journalBegin(input));
    }, group.durable ?? false);
  }
  async unsettledJournal(options: { exceptRunId?: string } = {}) {
    return this.store.unsettledJournal(options);
  }
  async journalOfRun(runId: string) {
    return this.store.journalOfRun(runId);
  }
  async markJournalResolved(entryIds: readonly number[], resolution: string) {
    return this.store.markJournalResolved(entryIds, resolution);
  }
  async acquireLock(request: LockRequest) {
    return this.store.acquireLock(request);
  }
  async heartbeat(runId: string) {
    return this.store.heartbeat(runId);
  }
  async releaseLock(runId: string) {
    return this.store.releaseLock(runId);
  }
  async lockHolder() {
    return this.store.lockHolder();
  }
}

function writeLagging(store: StateStore, record: LaggingRecord): void {
  switch (record.kind) {
    case 'agent-applied':
      store.recordAgentApplied(record.accountId, record.email, record.values);
      return;
    case 'department-applied':
      store.recordDepartmentApplied(record.accountId, record.departmentId, record.values);
      return;
    case 'memberships':
      store.recordMemberships(record.change);
      return;
  }
}
