/** The executor's public surface: a run's context and request pipeline, run a plan, recover from a crashed run, the retry policy and the named limits. */

export { GENERATED_PASSWORD_BYTES } from './action-run.js';
export {
  ACTIONS_UNDER_WAY_MIN,
  ACTIONS_UNDER_WAY_PER_SLOT,
  actionsUnderWay,
  DRAIN_TIMEOUT_MS,
  startApply,
} from './apply.js';
export { BREAKER_FIRST_WRITES, BREAKER_MAX_FAILED_SHARE, BREAKER_MIN_WRITES } from './breaker.js';
export { createRunContext, type RunContext, type RunContextOptions } from './context.js';
export { MEMBERSHIP_BATCH_LIMIT } from './membership.js';
export { SKIPPED_BY_STOP, SKIPPED_NEEDS_ALLOW_DELETE } from './outcome.js';
export { type RecoveryReport, type RecoveryStore, recoverInterruptedRuns } from './recovery.js';
export { partnerApiRetryPolicy } from './retry-policy.js';
export type {
  ActionError,
  ActionOutcome,
  ApplyEvents,
  ApplyOptions,
  ApplyResult,
  ApplyRun,
  ApplyStateStore,
  MemberFailure,
  RequestInfo,
  RunLease,
  StopReason,
  WriteClient,
} from './types.js';
