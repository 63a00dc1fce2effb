/** The planner's public surface: make a plan, judge it, print it, and what apply needs to run it. */
export type {
  AccountCreateParams,
  AccountLicenseCodeParams,
  AccountLicensesParams,
  AccountTargetParams,
  AccountUpdateParams,
  ActionCommon,
  ActionKind,
  ActionOf,
  AgentCreateParams,
  AgentProfileParams,
  AgentUpdateParams,
  Cause,
  DepartmentChannelsParams,
  DepartmentCreateParams,
  DepartmentMembersParams,
  DepartmentWriteParams,
  FieldValues,
  IdRef,
  MemberRef,
  ParamsOf,
  PasswordSource,
  PlannedAction,
  Reason,
} from './action.js';
export { ACTION_KINDS } from './action.js';
export {
  type Confirmed,
  type ConfirmedAgent,
  type ConfirmedDepartment,
  type ConfirmedMemberships,
  countConfirmed,
  noneConfirmed,
} from './confirm.js';
export { digestObserved } from './digest.js';
export { countDrift } from './drift.js';
export { assertWithinGuard, countDestructive, describeGuard } from './guard.js';
export {
  DEFAULT_MAX_DEACTIVATIONS,
  deactivationLimit,
  formatMaxDeactivations,
  PERCENT_LIMIT_FLOOR,
  parseMaxDeactivations,
} from './options.js';
export {
  type ManifestPasswords,
  type PasswordLookup,
  type PasswordToRecord,
  passwordLookup,
} from './passwords.js';
export { confirmMatching, makePlan, makePlanAndConfirm } from './planner.js';
export { accountIdsToRead } from './reading.js';
export { renderPlanJson, renderPlanText, type TextSink, writePlanJson, writePlanText } from './render.js';
export {
  agentsInScope,
  decideScope,
  describeSelectors,
  type PlanScope,
  type ScopeDecision,
  type ScopeSelectors,
  selectsAccount,
  type UnmatchedSelector,
} from './run-scope.js';
export {
  type CurrentInputs,
  checkSaved,
  SAVED_PLAN_CHECKS,
  SAVED_PLAN_FORMAT,
  SAVED_PLAN_FORMAT_VERSION,
  type SavedManifestPath,
  type SavedPlan,
  type SavedPlanCheck,
  type SavedPlanOptions,
  type SavedPlanVerdict,
  type StateStoreStamp,
} from './saved.js';
export type { GuardVerdict, MaxDeactivations, Notice, NoticeKind, Plan, PlanOptions } from './types.js';
