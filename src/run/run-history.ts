import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CommandContext } from '../cli/command.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log/logger.js';
import type { PlanScope } from '../plan/index.js';
import type { ResultRow } from '../report/results.js';
import {
  type ActionCounts,
  currentPidScope,
  type RunEntry,
  type RunFinish,
  type RunStart,
  type StateBackend,
} from '../state/index.js';
import { openConfiguredState } from '../state/open.js';
import { exitCode } from './exit-code.js';
import { resultRows } from './outputs.js';
import type { PublishSettings } from './publish.js';
import type { RunCommand, RunRecord } from './record.js';
import { driftChangesOf } from './record.js';

/**
 * A run's place in the history (CONTRACT §13): written when it starts and when it ends, then
 * handed to the metrics and the notification. One object per run, made by the pipeline, so every
 * ending — a plan, an apply, the guard, a stale plan, a "no", a signal, an error thrown — goes
 * through `finish` once.
 */
export class RunHistory {
  private start: RunStart;
  private started = false;

  constructor(
    command: RunCommand,
    startedAt: Date,
    private readonly store: StateBackend | undefined,
    private readonly logger: Logger,
  ) {
    this.start = {
      runId: randomUUID(),
      command,
      host: hostname(),
      pid: process.pid,
      pidScope: currentPidScope(),
      startedAt: startedAt.toISOString(),
      // Set by `begin` for a scoped run (--account, --account-id); null is the whole manifest.
      scope: null,
    };
  }

  /**
   * The runs a dead process left `running` become `died` (a failure here is a warning: the history
   * is not the run). Called once, right after the history is made.
   */
  async markDied(): Promise<void> {
    const { store, logger } = this;
    if (store === undefined) return;
    try {
      const died = await store.markDiedRuns({ host: this.start.host, pidScope: this.start.pidScope });
      for (const runId of died) {
        logger.warn(
          { runId },
          'an earlier run ended without finishing (killed or crashed): it shows as died in `omnize-sync history`',
        );
      }
    } catch (error) {
      logger.warn({ err: error }, 'the run history could not be checked for runs that died');
    }
  }

  /** Writes the `running` row; an apply passes its lock's run ID, so a taken-over lock names the run that died. */
  async begin(runId: string | undefined, scope: PlanScope | null): Promise<void> {
    if (runId !== undefined) this.start = { ...this.start, runId };
    if (scope !== null) {
      this.start = {
        ...this.start,
        scope: JSON.stringify({ accounts: scope.accounts, accountIds: scope.accountIds }),
      };
    }
    await this.guard('start', async () => this.store?.recordRunStarted(this.start));
    this.started = true;
  }

  /** The run ended with its record. */
  async finished(record: RunRecord, settings: PublishSettings, rows?: readonly ResultRow[]): Promise<void> {
    await this.finish(finishOfRecord(record, rows), settings);
  }

  /** The run ended with an error thrown; `requests` what went over the wire before it, when known. */
  async failed(error: unknown, settings: PublishSettings, requests?: RequestCounts): Promise<void> {
    const failure = error instanceof Error ? error : new Error(String(error));
    await this.finish(
      {
        finishedAt: new Date().toISOString(),
        exitCode: exitCode(failure),
        ending: failure.name,
        counts: {},
        readRequests: requests?.reads ?? 0,
        writeRequests: requests?.writes ?? 0,
        retries: requests?.retries ?? 0,
        driftChanges: 0,
        reportFolder: null,
      },
      settings,
    );
  }

  /** Never throws: what the history, the metrics or the alert could not do is a warning, and the exit code stays the run's. */
  private async finish(finish: RunFinish, settings: PublishSettings): Promise<void> {
    await this.guard('end', async () => this.store?.recordRunFinished(this.start, finish));
    const entry: RunEntry = { ...this.start, ...finish, id: 0, status: 'finished', notifiedAt: null };
    const { metricsFile, pushgatewayUrl, notifyUrl } = settings;
    if (metricsFile === undefined && pushgatewayUrl === undefined && notifyUrl === undefined) return;
    try {
      // Loaded only when there is something to publish: prom-client costs every run ~30 ms of startup.
      const { publishRun } = await import('./publish.js');
      await publishRun(this.store, entry, settings, this.logger);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'the metrics or the notification failed; the exit code is not affected',
      );
    }
  }

  /** Whether `begin` ran: a run refused before it began is written whole by its end. */
  get hasBegun(): boolean {
    return this.started;
  }

  private async guard(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.warn({ err: error }, `the run's ${what} could not be written to the run history`);
    }
  }
}

export interface RequestCounts {
  reads: number;
  writes: number;
  retries: number;
}

/** The history's view of a run record: exit code, counts per kind and outcome, requests, report folder. */
export function finishOfRecord(
  record: RunRecord,
  rows: readonly ResultRow[] = resultRows(record),
): RunFinish {
  const counts: ActionCounts = {};
  for (const row of rows) {
    counts[row.action] ??= {};
    const cell = counts[row.action]!;
    cell[row.outcome] = (cell[row.outcome] ?? 0) + 1;
  }
  return {
    finishedAt: record.finishedAt.toISOString(),
    exitCode: exitCode(record),
    ending: record.ending.kind,
    counts,
    readRequests: record.requests.reads,
    writeRequests: record.requests.writes,
    retries: record.requests.retries,
    driftChanges: driftChangesOf(record),
    reportFolder: record.reportFolder ?? null,
  };
}

/** The settings `publishRun` reads, from the run's config. */
export function publishSettingsOf(settings: Config, cwd: string): PublishSettings {
  return {
    cwd,
    metricsFile: settings.metricsFile,
    pushgatewayUrl: settings.pushgatewayUrl,
    notifyUrl: settings.notifyUrl,
  };
}

/**
 * A run refused before it opened the state store (a bad manifest, no `--yes`, an unwritable
 * output): still a failed run of the nightly job, so it is written to the history, the metrics
 * and the alert. Settings that cannot even be read leave nowhere to write it.
 */
export async function recordRefusal(
  command: RunCommand,
  context: CommandContext<unknown>,
  startedAt: Date,
  error: unknown,
): Promise<void> {
  let settings: Config;
  try {
    settings = context.config();
  } catch {
    return;
  }
  const logger = context.logger();
  let store: StateBackend | undefined;
  try {
    store = await openConfiguredState(settings, context.io);
  } catch (openError) {
    logger.warn({ err: openError }, 'the run history could not be opened to record this run');
  }
  try {
    const history = new RunHistory(command, startedAt, store, logger);
    await history.markDied();
    await history.failed(error, publishSettingsOf(settings, context.io.cwd));
  } finally {
    await store?.close();
  }
}
