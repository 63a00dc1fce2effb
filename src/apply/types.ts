import type { SourceLocation } from '../model/source.js';
import type { OmnizeId } from '../model/vocabulary.js';
import type { OmnizeClient } from '../omnize/client.js';
import type { PlannedAction } from '../plan/action.js';
import type { PasswordLookup } from '../plan/passwords.js';
import type { StateBackend } from '../state/backend.js';
import type { Lease } from '../state/lease.js';

/** The client methods apply sends: every write of the plan, plus the two lists unknown creates are looked up in. */
export type WriteClient = Pick<
  OmnizeClient,
  | 'createAccount'
  | 'updateAccount'
  | 'activateAccount'
  | 'deactivateAccount'
  | 'deleteAccount'
  | 'setLicenseQuantity'
  | 'setLicenseCode'
  | 'createDepartment'
  | 'updateDepartment'
  | 'addChannelsToDepartment'
  | 'removeChannelsFromDepartment'
  | 'addAgentsToDepartment'
  | 'removeAgentsFromDepartment'
  | 'createAgent'
  | 'updateAgent'
  | 'updateAgentProfile'
  | 'listAgents'
  | 'listDepartments'
>;

/** What apply records in the state store; either backend fits, tests may pass a fake. */
export type ApplyStateStore = Pick<
  StateBackend,
  | 'journalBegin'
  | 'journalSettle'
  | 'journalGroup'
  | 'getAccount'
  | 'recordAccountCreated'
  | 'recordAccountApplied'
  | 'markAccountCreateUnknown'
  | 'adoptAccount'
  | 'recordAccountDeleted'
  | 'recordAgentApplied'
  | 'recordDepartmentApplied'
  | 'recordMemberships'
  | 'fingerprint'
>;

/** The run lock's lease (state/lease.ts): a run stops sending once it is lost. */
export type RunLease = Pick<Lease, 'isLeaseValid' | 'onLeaseLost'>;

/** Why a run stopped before every action had its turn. */
export type StopReason = 'SIGINT' | 'SIGTERM' | 'invalid-token' | 'circuit-breaker' | 'state-store';

/**
 * What went wrong with an action, as plain data a report can show. `message`
 * is the API's own words for a rejection (`E-mail has already been taken`),
 * otherwise a description. Never holds a token, a password or a digest.
 */
export interface ActionError {
  kind: 'rejected' | 'transient' | 'protocol' | 'invalid-token' | 'stopped' | 'internal';
  message: string;
  /** `METHOD /path` of the request that failed, when one did. */
  endpoint?: string;
}

/** One agent of a membership batch that did not land, named so a report can point at the agent's manifest row. */
export interface MemberFailure {
  /** The member's `MemberRef.label`: the agent's e-mail, or `#ID`. */
  label: string;
  agentId?: OmnizeId;
  source?: SourceLocation;
  /** `failed`: the API refused it; `unknown`: it may have landed; `skipped`: the run stopped before it was sent. */
  status: 'failed' | 'unknown' | 'skipped';
  error: ActionError;
}

/**
 * An agent of a membership batch that was not sent because its own create did not succeed. Its
 * failure is counted once, on the create; the batch only says it left the agent out.
 */
export interface SkippedMember {
  /** The member's `MemberRef.label`: the agent's e-mail. */
  label: string;
  source?: SourceLocation;
  /** In words, never an action ID: `creating the agent failed`. */
  because: string;
}

/**
 * What happened to one action (ARCHITECTURE rule 5). A membership batch is `ok` when every
 * member it sent landed, whatever `skippedMembers` it had to leave out. `unknown` means a write may
 * have been applied and nobody can tell: a timed-out account create, a request
 * still in flight when the run stopped. `attempts` counts the write requests sent
 * for the action (tries, chunks and bisection probes alike; lookups are not
 * counted); `durationMs` runs from its first request to its end, 0 when it sent
 * none.
 */
export type ActionOutcome = (
  | {
      status: 'ok';
      /** The new entity's ID, for creates. */
      remoteId?: OmnizeId;
      /** True when a create's answer was lost and the entity was found by looking it up. */
      foundByLookup?: boolean;
      skippedMembers?: SkippedMember[];
    }
  | {
      status: 'failed';
      error: ActionError;
      memberFailures?: MemberFailure[];
      skippedMembers?: SkippedMember[];
    }
  | { status: 'skipped'; because: string }
  | {
      status: 'unknown';
      error?: ActionError;
      memberFailures?: MemberFailure[];
      skippedMembers?: SkippedMember[];
    }
) & { attempts: number; durationMs: number };

/** A request as the events see it: a read is a live read, a login link, or a look-up of an unknown create. */
export interface RequestInfo {
  kind: 'read' | 'write';
  /** The action it belongs to; none for live reads and login links. */
  action?: PlannedAction;
}

/**
 * How the core reports progress (ARCHITECTURE rule 8). `actionFinished` fires
 * exactly once per action of the plan; `actionStarted` fires before it only for
 * actions that send at least one request. Listeners must not throw: an exception
 * is rethrown outside the run (an uncaught error), never swallowed.
 */
export interface ApplyEvents {
  actionStarted(action: PlannedAction): void;
  actionFinished(action: PlannedAction, outcome: ActionOutcome): void;
  requestStarted(request: RequestInfo): void;
  /** A try failed for now; the next one follows after `delayMs`. `attempt` is the try that failed (1-based). */
  retryScheduled(request: RequestInfo, attempt: number, error: ActionError, delayMs: number): void;
  /** The run stopped sending; `error` is the fatal one (an invalid token, a state store failure) when there is one. */
  runStopped(reason: StopReason, error?: Error): void;
}

/** What apply is given besides the plan and the run's context: what only the manifest knows. */
export interface ApplyOptions {
  /** The plain password of an action that sends the manifest's; hashed right before sending and dropped. */
  passwords: PasswordLookup;
  /** `--allow-delete`: without it, actions marked `requires: 'allow-delete'` are skipped. */
  allowDelete: boolean;
  /** Listeners for the run's events while apply runs. */
  events?: Partial<ApplyEvents>;
  /** How long requests in flight may finish after a stop (CONTRACT §6: 30 s). */
  drainTimeoutMs?: number;
}

/** What a run did, whatever happened: apply never throws, the CLI maps this to the exit code. */
export interface ApplyResult {
  /** Every action of the plan, in plan order (kept compactly: see outcome-table.ts). */
  outcomes: ReadonlyMap<string, ActionOutcome>;
  stoppedBy?: StopReason;
  /** The error that stopped the run, for `invalid-token` and `state-store`. */
  fatalError?: Error;
  /** Requests the run's context sent so far (its live reads included; look-ups are reads): its one count. */
  requests: { reads: number; writes: number };
  /** Tries that were followed by another one, in the same count. */
  retries: number;
}

/** The handle of a running apply. */
export interface ApplyRun {
  done: Promise<ApplyResult>;
  /** No request starts after this; in-flight ones get `drainTimeoutMs` to finish. Later calls do nothing. */
  stop(reason: 'SIGINT' | 'SIGTERM'): void;
}
