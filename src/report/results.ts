import type { ActionOutcome } from '../apply/types.js';
import { skippedMembersInWords } from '../apply/words.js';
import type { SourceLocation } from '../model/source.js';
import type { PlannedAction } from '../plan/index.js';

/** What became of one action: `planned` in a plan's report, the others in an apply's (CONTRACT §7). */
export type ResultOutcome = 'ok' | 'failed' | 'skipped' | 'unknown' | 'planned';

/**
 * One line of results.csv. `kind` is the entity (account, department, agent), `action` the
 * action of CONTRACT §5 (`agent.create`). `error` is the API's message verbatim, or why the
 * action was skipped. Never holds a secret.
 */
export interface ResultRow {
  kind: string;
  account: string;
  target: string;
  action: string;
  outcome: ResultOutcome;
  error: string;
  remoteId: string;
  attempts: number;
  durationMs: number;
  /** The action's cause (CONTRACT §14): `manifest`, `drift` or `new`; empty for a saved plan from before causes. */
  cause: string;
  /** The manifest row the action came from (not a results.csv column: for rejected.xlsx and report.html). */
  source?: SourceLocation;
  /** Agents of a membership batch that did not land, with their own manifest rows. */
  memberFailures?: { label: string; source?: SourceLocation; error: string }[];
}

export const RESULT_COLUMNS = [
  'kind',
  'account',
  'target',
  'action',
  'outcome',
  'error',
  'remote_id',
  'attempts',
  'duration_ms',
  // Last, so readers that take the columns of CONTRACT §7 by position still find them.
  'cause',
] as const;

export function resultColumns(row: ResultRow): (string | number)[] {
  return [
    row.kind,
    row.account,
    row.target,
    row.action,
    row.outcome,
    row.error,
    row.remoteId,
    row.attempts,
    row.durationMs,
    row.cause,
  ];
}

/** The row of an action that was planned and not run. */
export function plannedRow(action: PlannedAction): ResultRow {
  return {
    kind: action.kind.split('.')[0] ?? action.kind,
    account: action.account,
    target: action.target,
    action: action.kind,
    outcome: 'planned',
    error: action.requires === 'allow-delete' ? 'needs --allow-delete' : '',
    remoteId: '',
    attempts: 0,
    durationMs: 0,
    cause: action.cause ?? '',
    ...(action.source === undefined ? {} : { source: action.source }),
  };
}

/** The row of an action that apply ran (or skipped). */
export function appliedRow(action: PlannedAction, outcome: ActionOutcome): ResultRow {
  const base = {
    ...plannedRow(action),
    attempts: outcome.attempts,
    durationMs: Math.round(outcome.durationMs),
  };
  switch (outcome.status) {
    case 'ok':
      return {
        ...base,
        outcome: 'ok',
        // A batch that left out agents whose create failed says so; their failure is the create's row.
        error: skippedMembersInWords(outcome.skippedMembers ?? []),
        remoteId: outcome.remoteId === undefined ? '' : String(outcome.remoteId),
      };
    case 'skipped':
      return { ...base, outcome: 'skipped', error: outcome.because };
    case 'failed':
    case 'unknown': {
      const memberFailures = (outcome.memberFailures ?? []).map((member) => ({
        label: member.label,
        error: member.error.message,
        ...(member.source === undefined ? {} : { source: member.source }),
      }));
      return {
        ...base,
        outcome: outcome.status,
        error: describeOutcomeError(outcome),
        ...(memberFailures.length === 0 ? {} : { memberFailures }),
      };
    }
  }
}

/**
 * The action's error (for a membership batch it names the first agents that did not land; the
 * row's `memberFailures` lists them all), then the agents it left out because their create failed.
 */
function describeOutcomeError(outcome: Extract<ActionOutcome, { status: 'failed' | 'unknown' }>): string {
  const parts: string[] = [];
  if (outcome.error !== undefined) parts.push(outcome.error.message);
  if (outcome.skippedMembers !== undefined) parts.push(skippedMembersInWords(outcome.skippedMembers));
  return parts.join('; ');
}
