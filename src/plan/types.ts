import type { SourceLocation } from '../model/source.js';
import type { ActionKind, PlannedAction } from './action.js';
import type { PasswordToRecord } from './passwords.js';
import type { PlanScope } from './run-scope.js';

/** `--max-deactivations`: a number of entities, or a percentage of the entities in scope. */
export type MaxDeactivations = { count: number } | { percent: number };

/** What the planner is told besides the three worlds. Holds a function: never saved or logged. */
export interface PlanOptions {
  /** `--prune`: mirror mode (CONTRACT §5). */
  prune: boolean;
  /** `--allow-delete`: without it `account.delete` is planned but marked `requires: 'allow-delete'`. */
  allowDelete: boolean;
  maxDeactivations: MaxDeactivations;
  /**
   * `--account` / `--account-id` (CONTRACT §12), as `decideScope` made it: only the accounts it
   * selects are planned, and prune and the guard count inside it. Null or absent: the whole manifest.
   */
  scope?: PlanScope | null;
  /**
   * The keyed HMAC the state store uses for password fingerprints. The planner
   * compares fingerprints only; it never keeps the result in the plan.
   */
  fingerprint: (plainPassword: string) => string;
}

/** Why a notice was raised. */
export type NoticeKind =
  | 'agent-still-active'
  | 'prune-disabled'
  | 'prune-kind-skipped'
  | 'create-outcome-unknown'
  | 'account-id-conflict'
  | 'account-deleted-earlier'
  | 'account-not-read'
  | 'unknown-account'
  | 'unknown-department'
  | 'needs-allow-delete';

/**
 * Something a person must know about the plan that is not an action: agents the
 * API cannot deactivate, prune switched off and why, accounts nothing is planned
 * in until the state store is repaired. Not an error: the plan stands.
 */
export interface Notice {
  kind: NoticeKind;
  /** The account label (key or `#ID`) the notice is about, when it is about one. */
  account?: string;
  /** The entity it is about (agent e-mail, department name), when it is about one. */
  target?: string;
  message: string;
  source?: SourceLocation;
}

/**
 * The safety guard's verdict (CONTRACT §5), as data. The planner never stops by
 * itself; the command calls `assertWithinGuard(plan)`, which throws `SafetyStop`
 * (exit 4) when `exceeded`.
 */
export interface GuardVerdict {
  /** Deactivations, deletions (runnable ones) and agents removed from departments, of entities that exist now. */
  destructive: number;
  /** The most destructive effects allowed. */
  limit: number;
  /** Accounts, departments and agents the plan looked at. */
  inScope: number;
  /** The setting the limit came from. */
  maxDeactivations: MaxDeactivations;
  exceeded: boolean;
}

/**
 * The plan: a value made from Desired, Observed and Remembered, printed by `plan`,
 * saved by `--out`, run by apply. It holds no secret. Not a live view: it is only
 * valid against the state it was made from (`rememberedSerial`, and the digests
 * the saver adds).
 *
 * For a second plan of the same manifest to be empty, apply records in the state
 * store, after each successful action (test/plan/model.ts does exactly this):
 * - `account.create`: key, new ID, `known`, applied = the params' fields plus
 *   `status: 'active'`, and the manifest password's fingerprint if one was sent;
 * - other account actions: the account (key = `action.account`, ID from params,
 *   created on first success for an adoption), applied fields from the params,
 *   `status` from activate/deactivate/delete;
 * - `agent.create`/`agent.update`: (account ID, lower-cased e-mail) with the
 *   params' `textLimit` when present and, when the params say `from-manifest`,
 *   the manifest password's fingerprint;
 * - for drift only (CONTRACT §14; a second plan's actions do not depend on it, only their
 *   `cause`, and which remote department a declared name renamed in Omnize matches): the name
 *   and profile an agent action sent, the name, description and status a department action sent
 *   (by its Omnize ID), and each channel and agent a department action made present or not;
 * - and, once the run has not stopped early, for each of `passwordsToRecord`:
 *   (account ID, lower-cased e-mail) with the manifest password's fingerprint.
 * Actions with `requires` are skipped and reported, not run.
 */
export interface Plan {
  formatVersion: 1;
  /** ISO timestamp from the clock the caller passed in. */
  createdAt: string;
  /** The state store's serial the plan was made from. */
  rememberedSerial: number;
  /**
   * The accounts the plan is limited to (`--account`/`--account-id`); null for the whole
   * manifest. Absent from plans saved before scoped runs: the whole manifest too.
   */
  scope?: PlanScope | null;
  /** In dependency order: an action comes after every action it depends on. */
  actions: PlannedAction[];
  notices: Notice[];
  /**
   * Existing agents whose manifest password is recorded, not sent. Absent from a
   * plan saved with `--out` by a version that did not know the rule: nothing to record.
   */
  passwordsToRecord?: PasswordToRecord[];
  /** How many actions of each kind, every kind listed. */
  counts: Record<ActionKind, number>;
  guard: GuardVerdict;
}
