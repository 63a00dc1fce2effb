import type { ApplyResult } from '../apply/index.js';
import type { RateSummary } from '../limits/auto-rate.js';
import { countDrift, type Plan, type SavedPlanCheck } from '../plan/index.js';

/** The commands that run the pipeline: read inputs → plan → (apply) → report. */
export type RunCommand = 'plan' | 'apply';

/**
 * How a run ended before or instead of applying. `planned`: `plan` printed its plan;
 * `applied`: `apply` ran the plan (what happened to each action is in `applied`).
 */
export type RunEnding =
  | { kind: 'planned' }
  | { kind: 'applied' }
  | { kind: 'guard'; message: string }
  | { kind: 'stale-plan'; refusedBy: SavedPlanCheck; message: string }
  | { kind: 'declined' }
  | { kind: 'interrupted'; signal: 'SIGINT' | 'SIGTERM' };

/** What went over the wire during the run, counted once (every request passes the same layers). */
export interface RequestTally {
  total: number;
  reads: number;
  writes: number;
  retries: number;
  /** Requests started in each second from `since` (ms since the epoch), for the requests-per-second chart. */
  perSecond: { since: number; counts: readonly number[]; rateInForce?: readonly number[] };
}

/**
 * One run of `plan` or `apply`, as one value every step extends and every consumer reads: the
 * report files, the exit code, and (later) the history, metrics and notifications. Holds no
 * secret: no token, no password, no digest of one.
 */
export interface RunRecord {
  command: RunCommand;
  startedAt: Date;
  finishedAt: Date;
  /** The manifest files read, and the SHA-256 of their bytes. */
  manifest: { files: string[]; digest: string };
  /** `fresh`: planned now; `saved`: loaded from `apply --plan FILE` and checked. */
  planFrom: 'fresh' | 'saved';
  plan: Plan;
  /** `plan --detailed-exitcode`: a plan with changes exits 2. */
  detailedExitcode: boolean;
  ending: RunEnding;
  /** What apply did, when it ran. */
  applied?: ApplyResult;
  requests: RequestTally;
  /** The rate limit the run kept to: `--rate N`, or where `--rate auto` started and what it learned. */
  rate?: RateSummary;
  /** The run's report folder, once written. */
  reportFolder?: string;
}

/**
 * The drift changes of a run (CONTRACT §14): its plan's actions whose cause is `drift`, for
 * `summary.json`, the history and `omnize_sync_last_run_drift_changes`.
 */
export function driftChangesOf(record: Pick<RunRecord, 'plan'>): number {
  return countDrift(record.plan);
}
