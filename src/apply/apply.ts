import pLimit, { type LimitFunction } from 'p-limit';
import { InternalError } from '../errors.js';
import type { PlannedAction } from '../plan/action.js';
import type { Plan } from '../plan/types.js';
import { ActionRun } from './action-run.js';
import type { RunContext } from './context.js';
import { type Dependencies, DependencyTracker, failedDependency } from './dependencies.js';
import { execute, settleCutOff } from './execute.js';
import { describeError } from './failures.js';
import { type Settled, SKIPPED_BY_STOP, SKIPPED_NEEDS_ALLOW_DELETE } from './outcome.js';
import { References } from './references.js';
import { startTimer, type Timer } from './timers.js';
import type { ActionOutcome, ApplyOptions, ApplyResult, ApplyRun } from './types.js';

/** CONTRACT §6: after SIGINT/SIGTERM, requests in flight get 30 s to finish. */
export const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Actions past their dependencies that may be under way at once. Not a request
 * queue (the gate is the only one): it holds actions before they start, and
 * bounds memory, since an action waiting in the gate holds a chain of pending
 * promises through the request layers (about 8 KB), and a migration may plan
 * 100k actions that are all ready at the start, where a queued action costs
 * only a closure. Far above any --concurrency, so the gate always has work
 * waiting.
 */
export const ACTIONS_UNDER_WAY = 512;

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
  private readonly outcomes = new Map<string, ActionOutcome>();
  private readonly actionsById: ReadonlyMap<string, PlannedAction>;
  private readonly references: References;
  private readonly tracker: DependencyTracker;
  private whenAllFinished: () => void = () => undefined;
  private readonly running = new Map<string, ActionRun>();
  private readonly underWay: LimitFunction = pLimit(ACTIONS_UNDER_WAY);

  constructor(
    private readonly plan: Plan,
    private readonly context: RunContext,
    private readonly options: ApplyOptions,
  ) {
    const store = context.recorder?.store;
    if (store === undefined) throw new InternalError('apply was given a run context with no state store');
    this.actionsById = new Map(plan.actions.map((action) => [action.id, action]));
    this.references = new References(plan.actions, this.outcomes, store);
    this.tracker = new DependencyTracker(
      plan.actions,
      (action, dependencies) => this.start(action, dependencies),
      (action, because) => this.finish(action, { status: 'skipped', because }),
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
        this.context.journal.flush();
        unlisten();
        resolve(this.result());
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
      outcomes: new Map(this.plan.actions.map((action) => [action.id, this.outcomes.get(action.id)!])),
      stoppedBy: control.reason,
      fatalError: control.fatalError,
      requests: { reads, writes },
      retries,
    };
  }

  /** Runs an action whose dependencies have all finished, once it is among those under way. */
  private start(action: PlannedAction, dependencies: Dependencies): void {
    this.underWay(async () => {
      const because = this.skipReason(action, dependencies.required);
      if (because !== undefined) return this.finish(action, { status: 'skipped', because });
      const run = new ActionRun(action, this.context, this.references, this.options.passwords);
      this.running.set(action.id, run);
      this.finish(action, await execute(run), run);
      // Only unfinished actions are needed at the drain deadline.
      this.running.delete(action.id);
    }).catch((error: unknown) => {
      // A bug in one action must not leave it without an outcome, nor `done` unresolved.
      this.finish(action, { status: 'failed', error: describeError(error) }, this.running.get(action.id));
    });
  }

  private skipReason(action: PlannedAction, required: readonly string[]): string | undefined {
    const stop = this.context.control.reason;
    if (stop !== undefined) return SKIPPED_BY_STOP[stop];
    if (action.requires === 'allow-delete' && !this.options.allowDelete) return SKIPPED_NEEDS_ALLOW_DELETE;
    return failedDependency(required, this.outcomes, this.actionsById);
  }

  /** Records an action's outcome once; a later one (an answer after the drain deadline) is ignored. */
  private finish(action: PlannedAction, settled: Settled, run?: ActionRun): void {
    if (this.outcomes.has(action.id)) return;
    const outcome = { ...settled, attempts: run?.attempts ?? 0, durationMs: run?.durationMs() ?? 0 };
    this.outcomes.set(action.id, outcome);
    this.context.events.emit('actionFinished', action, outcome);
    this.tracker.finished(action.id);
    if (this.outcomes.size === this.plan.actions.length) this.whenAllFinished();
  }

  /** At the drain deadline, every action still without an outcome gets one from what it had sent. */
  private finalize(): void {
    const reason = this.context.control.reason ?? 'SIGTERM';
    for (const action of this.plan.actions) {
      if (this.outcomes.has(action.id)) continue;
      const run = this.running.get(action.id);
      this.finish(action, settleCutOff(action, run, reason), run);
    }
  }
}
