import { InternalError } from '../errors.js';
import type { PlannedAction } from '../plan/action.js';
import type { Plan } from '../plan/types.js';
import { ActionRun } from './action-run.js';
import type { RunContext } from './context.js';
import { dependenciesOf, failedDependency } from './dependencies.js';
import { execute, settleCutOff } from './execute.js';
import { describeError } from './failures.js';
import { type Settled, SKIPPED_BY_STOP, SKIPPED_NEEDS_ALLOW_DELETE } from './outcome.js';
import { OutcomeTable } from './outcome-table.js';
import { ReadyQueue } from './ready-queue.js';
import { References } from './references.js';
import { startTimer, type Timer } from './timers.js';
import { DependencyTracker } from './tracker.js';
import type { ApplyOptions, ApplyResult, ApplyRun } from './types.js';

/** CONTRACT §6: after SIGINT/SIGTERM, requests in flight get 30 s to finish. */
export const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Actions past their dependencies that may be under way at once, per request slot in flight
 * (--concurrency). Not a request queue (the gate is the only one): it holds actions before they
 * start, so a migration's 100k ready actions cost a position each (ready-queue.ts), not the
 * chain of pending promises (about 8 KB) an action holds while it waits in the gate. Two per slot
 * keep as many requests waiting in the gate as it has slots, so a freed slot is taken at once;
 * more only make each action wait longer, long enough to outlive young-generation collections:
 * with 512 under way at --concurrency 32 a 100k-agent apply moved ~23 MB/s of them into the old
 * generation (heap 134 → 418 MiB between major collections), with 64 it grew ~5 MB/s.
 */
export const ACTIONS_UNDER_WAY_PER_SLOT = 2;
/** At least this many under way, so a run at --concurrency 1 still has an action ready behind the one in flight. */
export const ACTIONS_UNDER_WAY_MIN = 8;

/** How many actions may be under way at once for a given --concurrency. */
export function actionsUnderWay(concurrency: number): number {
  return Math.max(ACTIONS_UNDER_WAY_MIN, ACTIONS_UNDER_WAY_PER_SLOT * concurrency);
}

/**
 * Runs a plan's actions against the Partner API (CONTRACT §6), every request
 * through the context's pipeline. Each action waits for the actions it depends
 * on and starts as soon as they are `ok`, so independent accounts progress in
 * parallel. `done` always resolves with an outcome for every action, whatever
 * failed. The context needs a state store: apply journals and records.
 */
export function startApply(plan: Plan, context: RunContext, options: ApplyOptions): ApplyRun {
  const execution = new Execution(plan, context, options);
  return { done: execution.done, stop: (reason) => context.control.stop(reason) };
}

class Execution {
  readonly done: Promise<ApplyResult>;
  private readonly positions = new Map<string, number>();
  private readonly outcomes: OutcomeTable;
  private readonly references: References;
  private readonly tracker: DependencyTracker;
  private whenAllFinished: () => void = () => undefined;
  /** The actions under way, by position: what the drain deadline settles. */
  private readonly running = new Map<number, ActionRun>();
  /** Positions of actions past their dependencies, waiting to be among those under way (`actionsUnderWay`). */
  private readonly ready = new ReadyQueue();
  private underWay = 0;
  private readonly mostUnderWay: number;

  constructor(
    private readonly plan: Plan,
    private readonly context: RunContext,
    private readonly options: ApplyOptions,
  ) {
    const store = context.recorder?.store;
    if (store === undefined) throw new InternalError('apply was given a run context with no state store');
    this.mostUnderWay = actionsUnderWay(context.concurrency);
    const ids = plan.actions.map((action, position) => {
      this.positions.set(action.id, position);
      return action.id;
    });
    this.outcomes = new OutcomeTable(ids, this.positions);
    this.references = new References(plan.actions, this.outcomes, store);
    this.tracker = new DependencyTracker(
      plan.actions,
      this.positions,
      (position) => this.enqueue(position),
      (position, because) => this.finish(position, { status: 'skipped', because }),
    );
    this.done = this.run();
  }

  private run(): Promise<ApplyResult> {
    const { control, clock, events } = this.context;
    const unlisten = events.listen(this.options.events ?? {});
    return new Promise((resolve) => {
      let resolved = false;
      let deadline: Timer | undefined;
      this.whenAllFinished = () => {
        if (resolved) return;
        resolved = true;
        deadline?.cancel();
        this.finalize();
        // Settlements wait for company (journal-batch.ts): none is left waiting once the run is over.
        void this.context.journal.flush().then(() => {
          unlisten();
          resolve(this.result());
        });
      };
      control.onStop(() => {
        if (resolved) return;
        deadline = startTimer(this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS, clock);
        void deadline.elapsed.then(() => this.whenAllFinished());
      });
      this.tracker.start();
      if (this.plan.actions.length === 0) this.whenAllFinished();
    });
  }

  private result(): ApplyResult {
    const { control, counters } = this.context;
    const { reads, writes, retries } = counters;
    return {
      outcomes: this.outcomes,
      stoppedBy: control.reason,
      fatalError: control.fatalError,
      requests: { reads, writes },
      retries,
    };
  }

  /** An action whose dependencies have all finished waits for its turn among those under way. */
  private enqueue(position: number): void {
    this.ready.push(position);
    this.startReady();
  }

  private startReady(): void {
    while (this.underWay < this.mostUnderWay) {
      const position = this.ready.shift();
      if (position === undefined) return;
      this.underWay += 1;
      // Started from a microtask, as p-limit did: a skip decided now finishes outside the caller's loop.
      queueMicrotask(() => {
        this.start(position).finally(() => {
          this.underWay -= 1;
          this.startReady();
        });
      });
    }
  }

  /** Runs an action whose dependencies have all finished, or skips it. */
  private async start(position: number): Promise<void> {
    const action = this.plan.actions[position]!;
    try {
      const because = this.skipReason(action);
      if (because !== undefined) return this.finish(position, { status: 'skipped', because });
      const run = new ActionRun(action, this.context, this.references, this.options.passwords);
      this.running.set(position, run);
      this.finish(position, await execute(run), run);
    } catch (error) {
      // A bug in one action must not leave it without an outcome, nor `done` unresolved.
      this.finish(position, { status: 'failed', error: describeError(error) }, this.running.get(position));
    } finally {
      // Only unfinished actions are needed at the drain deadline.
      this.running.delete(position);
    }
  }

  private skipReason(action: PlannedAction): string | undefined {
    const stop = this.context.control.reason;
    if (stop !== undefined) return SKIPPED_BY_STOP[stop];
    if (action.requires === 'allow-delete' && !this.options.allowDelete) return SKIPPED_NEEDS_ALLOW_DELETE;
    const actionOf = (id: string) => this.plan.actions[this.positions.get(id) ?? -1];
    return failedDependency(dependenciesOf(action).required, this.outcomes, actionOf);
  }

  /** Records an action's outcome once; a later one (an answer after the drain deadline) is ignored. */
  private finish(position: number, settled: Settled, run?: ActionRun): void {
    if (this.outcomes.hasAt(position)) return;
    const action = this.plan.actions[position]!;
    const outcome = { ...settled, attempts: run?.attempts ?? 0, durationMs: run?.durationMs() ?? 0 };
    this.outcomes.set(position, outcome);
    this.context.events.emit('actionFinished', action, outcome);
    this.tracker.finished(position);
    if (this.outcomes.size === this.plan.actions.length) this.whenAllFinished();
  }

  /** At the drain deadline, every action still without an outcome gets one from what it had sent. */
  private finalize(): void {
    const reason = this.context.control.reason ?? 'SIGTERM';
    this.plan.actions.forEach((action, position) => {
      if (this.outcomes.hasAt(position)) return;
      const run = this.running.get(position);
      this.finish(position, settleCutOff(action, run, reason), run);
    });
  }
}
