import { EXIT } from '../errors.js';
import type { RunEntry } from '../state/index.js';
import { isSuccess } from './metrics.js';

/**
 * When to alert (CONTRACT §13), decided as a pure function of the history: once when a command's
 * result changes (`ok` → `failing`, `failing` → `recovered`), on every safety-guard stop (exit 4),
 * and again each REMIND_AFTER_MS while it stays failing. Deduplicated through the history: each
 * run row remembers whether a notification about it was sent.
 */

/** A failing job is announced again after this long (a day: the next night's run reminds). */
export const REMIND_AFTER_MS = 24 * 60 * 60 * 1000;

/** The JSON body of the POST; `text` makes it a Slack incoming webhook message as it is. Holds no secret. */
export interface NotificationMessage {
  text: string;
  status: 'failing' | 'recovered';
  command: 'plan' | 'apply';
  exit_code: number;
  /** Actions per outcome: ok, failed, skipped, unknown, planned. */
  counts: Record<string, number>;
  /** The run's report folder; null when it ended before writing one. */
  report: string | null;
}

/** Why the message is sent, for tests and the log. */
export type NotificationReason = 'started-failing' | 'guard-stop' | 'still-failing' | 'recovered';

export interface Notification {
  reason: NotificationReason;
  message: NotificationMessage;
}

/** A run as the decision sees it: a died run (no exit code) counts as failing. */
function failing(run: Pick<RunEntry, 'status' | 'exitCode'>): boolean {
  return run.status !== 'finished' || !isSuccess(run.exitCode);
}

/**
 * The notification this run calls for, or undefined. `previous`: the earlier runs of the same
 * command, newest first (finished or died; still running ones are left out by the caller);
 * `current`: this run, finished.
 */
export function decideNotification(
  previous: readonly RunEntry[],
  current: RunEntry,
  now: Date,
): Notification | undefined {
  const before = previous[0];
  if (!failing(current)) {
    return before !== undefined && failing(before) ? notification('recovered', current) : undefined;
  }
  if (current.exitCode === EXIT.safetyStop) return notification('guard-stop', current);
  if (before === undefined || !failing(before)) return notification('started-failing', current);
  const lastSent = lastNotificationWhileFailing(previous);
  if (lastSent === undefined || now.getTime() - Date.parse(lastSent) >= REMIND_AFTER_MS) {
    return notification('still-failing', current);
  }
  return undefined;
}

/** The latest notification sent since the command last succeeded. */
function lastNotificationWhileFailing(previous: readonly RunEntry[]): string | undefined {
  let latest: string | undefined;
  for (const run of previous) {
    if (!failing(run)) break;
    if (run.notifiedAt !== null && (latest === undefined || run.notifiedAt > latest)) latest = run.notifiedAt;
  }
  return latest;
}

function notification(reason: NotificationReason, run: RunEntry): Notification {
  const exitCode = run.exitCode ?? EXIT.failure;
  const counts = outcomeTotals(run);
  const status = reason === 'recovered' ? 'recovered' : 'failing';
  return {
    reason,
    message: {
      text: textOf(reason, run.command, exitCode, counts, run.reportFolder),
      status,
      command: run.command,
      exit_code: exitCode,
      counts,
      report: run.reportFolder,
    },
  };
}

/** Actions per outcome over every kind. */
export function outcomeTotals(run: Pick<RunEntry, 'counts'>): Record<string, number> {
  const totals: Record<string, number> = { ok: 0, failed: 0, skipped: 0, unknown: 0, planned: 0 };
  for (const outcomes of Object.values(run.counts)) {
    for (const [outcome, count] of Object.entries(outcomes)) totals[outcome] = (totals[outcome] ?? 0) + count;
  }
  return totals;
}

const HEADLINE: Record<NotificationReason, string> = {
  'started-failing': 'is failing',
  'still-failing': 'is still failing',
  'guard-stop': 'was stopped by the safety guard',
  recovered: 'has recovered',
};

function textOf(
  reason: NotificationReason,
  command: string,
  exitCode: number,
  counts: Record<string, number>,
  report: string | null,
): string {
  const tally = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`)
    .join(', ');
  const actions = tally === '' ? 'no actions' : tally;
  const where = report === null ? '' : ` Report: ${report}`;
  return `omnize-sync ${command} ${HEADLINE[reason]} (exit ${exitCode}; ${actions}).${where}`;
}
