import pLimit, { type LimitFunction } from 'p-limit';
import type { PlannedAction } from '../plan/action.js';
import type { Plan } from '../plan/types.js';
import { ActionRun, createRunServices, type RunServices } from './action-run.js';
import { Admission } from './admission.js';
import { RunControl } from './control.js';
import { type Dependencies, DependencyTracker, failedDependency } from './dependencies.js';
import type { ActionEnvironment } from './environment.js';
import { type Emit, emitterFor } from './events.js';
import { execute, settleCutOff } from './execute.js';
import { describeError } from './failures.js';
import { type Settled, SKIPPED_BY_STOP, SKIPPED_NEEDS_ALLOW_DELETE } from './outcome.js';
import { Recorder } from './recorder.js';
import { References } from './references.js';
import { startTimer, type Timer } from './timers.js';
import type { ActionOutcome, ApplyDependencies, ApplyResult, ApplyRun } from './types.js';

/** CONTRACT §6: after SIGINT/SIGTERM, requests in flight get 30 s to finish. */
export const DRAIN_TIMEOUT_MS = 30_000;

/**
 * Actions past their dependencies that may be under way at once. Not a request
 * limit (the gate is): it bounds memory, since an action waiting for the gate
 * holds a chain of pending promises (about 8 KB), and a migration may plan 100k
 * actions that are all ready at the start. Far above any --concurrency, so the
 * gate always has work waiting.
 */
export const ACTIONS_UNDER_WAY = 512;

/**
 * Runs a plan's actions against the Partner API (CONTRACT §6). Each action waits
 * for the actions it depends on and starts as soon as they are `ok`, so
 * independent accounts progress in parallel; every request waits for the gate
 * (--concurrency, --rate) and each try of a retry waits again. `done` always
 * resolves with an outcome for every action, whatever failed.
 */
export function startApply(plan: Plan, deps: ApplyDependencies): ApplyRun {
  const execution = new Execution(plan, deps);
  return { done: execution.done, stop: (reason) => execution.control.stop(reason) };
}

class Execution {
  readonly control: RunControl;
  readonly done: Promise<ApplyResult>;
  private readonly outcomes = new Map<string, ActionOutcome>();
  private readonly actionsById: ReadonlyMap<string, PlannedAction>;
  private readonly tracker: DependencyTracker;
  private whenAllFinished: () => void = () => undefined;
  private readonly running = new Map<string, ActionRun>();
  private readonly underWay: LimitFunction = pLimit(ACTIONS_UNDER_WAY);
  private readonly emit: Emit;
  private readonly services: RunServices;
  private readonly env: ActionEnvironment;

  constructor(
    private readonly plan: Plan,
    private readonly deps: ApplyDependencies,
  ) {
    this.actionsById = new Map(plan.actions.map((action) => [action.id, action]));
    this.emit = emitterFor(deps.events);
    const admission = new Admission(deps.gate);
    this.control = new RunControl(admission, this.emit, deps.clock);
    const recorder = new Recorder(deps.store, (error) => this.control.stop('state-store', error));
    this.services = createRunServices(deps, admission, this.control, recorder, this.emit);
    this.env = {
      client: deps.client,
      recorder,
      references: new References(plan.actions, this.outcomes, deps.store),
      passwords: deps.passwords,
      fingerprint: (plain) => deps.fingerprint(plain),
    };
    this.tracker = new DependencyTracker(
      plan.actions,
      (action, dependencies) => this.start(action, dependencies),
      (action, because) => this.finish(action, { status: 'skipped', because }),
    );
    this.done = this.run();
  }

  private run(): Promise<ApplyResult> {
    return new Promise((resolve) => {
      let resolved = false;
      let deadline: Timer | undefined;
      this.whenAllFinished = () => {
        if (resolved) return;
        resolved = true;
        deadline?.cancel();
        this.finalize();
        resolve(this.result());
      };
      this.control.onStop(() => {
        if (resolved) return;
        deadline = startTimer(this.deps.drainTimeoutMs ?? DRAIN_TIMEOUT_MS, this.deps.clock);
        void deadline.elapsed.then(() => this.whenAllFinished());
      });
      this.tracker.start();
      if (this.plan.actions.length === 0) this.whenAllFinished();
    });
  }

  private result(): ApplyResult {
    const { reads, writes, retries } = this.services.counters;
    return {
      outcomes: new Map(this.plan.actions.map((action) => [action.id, this.outcomes.get(action.id)!])),
      stoppedBy: this.control.reason,
      fatalError: this.control.fatalError,
      requests: { reads, writes },
      retries,
    };
  }

  /** Runs an action whose dependencies have all finished, once it is among those under way. */
  private start(action: PlannedAction, dependencies: Dependencies): void {
    this.underWay(async () => {
      const because = this.skipReason(action, dependencies.required);
      if (because !== undefined) return this.finish(action, { status: 'skipped', because });
      const run = new ActionRun(action, this.services);
      this.running.set(action.id, run);
      this.finish(action, await execute(run, this.env), run);
      // Only unfinished actions are needed at the drain deadline.
      this.running.delete(action.id);
    }).catch((error: unknown) => {
      // A bug in one action must not leave it without an outcome, nor `done` unresolved.
      this.finish(action, { status: 'failed', error: describeError(error) }, this.running.get(action.id));
    });
  }

  private skipReason(action: PlannedAction, required: readonly string[]): string | undefined {
    const stop = this.control.reason;
    if (stop !== undefined) return SKIPPED_BY_STOP[stop];
    if (action.requires === 'allow-delete' && !this.deps.allowDelete) return SKIPPED_NEEDS_ALLOW_DELETE;
    return failedDependency(required, this.outcomes, this.actionsById);
  }

  /** Records an action's outcome once; a later one (an answer after the drain deadline) is ignored. */
  private finish(action: PlannedAction, settled: Settled, run?: ActionRun): void {
    if (this.outcomes.has(action.id)) return;
    const outcome = { ...settled, attempts: run?.attempts ?? 0, durationMs: run?.durationMs() ?? 0 };
    this.outcomes.set(action.id, outcome);
    this.emit('actionFinished', action, outcome);
    this.tracker.finished(action.id);
    if (this.outcomes.size === this.plan.actions.length) this.whenAllFinished();
  }

  /** At the drain deadline, every action still without an outcome gets one from what it had sent. */
  private finalize(): void {
    const reason = this.control.reason ?? 'SIGTERM';
    for (const action of this.plan.actions) {
      if (this.outcomes.has(action.id)) continue;
      const run = this.running.get(action.id);
      this.finish(action, settleCutOff(action, run, reason, this.env), run);
    }
  }
}
