/** The state store's public surface: the store, its records, the journal and the run lock. */
export type { AccountRecord, AdoptOutcome, AgentRecord } from './accounts.js';
export type {
  AdoptionCheck,
  AdoptionCounts,
  AdoptionLine,
  AdoptionRefusal,
  AdoptManyResult,
} from './adopt-many.js';
export { adoptionHeader } from './adopt-many.js';
export type {
  AgentAppliedValues,
  JournalGroup,
  KeptPassword,
  LaggingRecord,
  StateBackend,
} from './backend.js';
export { FINGERPRINT_KEY_BYTES } from './fingerprint.js';
export type { JournalBeginInput, JournalEntry, JournalOutcome, JournalSettlement } from './journal.js';
export { JOURNAL_RETENTION_DAYS } from './journal.js';
export { holdLease, LEASE_MARGIN_MS, type Lease, type LeaseLostReason } from './lease.js';
export type { LockHolder, LockRequest, LockResult } from './lock.js';
export {
  currentPidScope,
  isProcessAlive,
  LOCK_HEARTBEAT_INTERVAL_MS,
  LOCK_STALE_AFTER_MS,
  lockHeldError,
  lockTakeoverMessage,
} from './lock.js';
export { isPostgresUrl, redactUrlPasswords } from './postgres/connection.js';
export type { ActionCounts, Onlooker, RunEntry, RunFinish, RunStart, RunStatus } from './runs.js';
export { isRunDead } from './runs.js';
export { CURRENT_SCHEMA_VERSION, MIGRATIONS, type Migration } from './schema.js';
export { BUSY_TIMEOUT_MS } from './sql.js';
export { SqliteBackend } from './sqlite-backend.js';
export { StateStore, type StateStoreOptions } from './store.js';
// openStateBackend (open.ts) and PostgresStateStore load the pg driver: import them from their own modules.
