import type { PlannedAction } from '../plan/action.js';
import type { Plan } from '../plan/types.js';
import { appliedByCreate, markCreateUnknown } from './accounts.js';
import { ActionRun, type RunServices } from './action-run.js';
import { Admission } from './admission.js';
import { CircuitBreaker } from './breaker.js';
import { RunControl } from './control.js';
import { dependenciesOf, failedDependency, misplacedDependency } from './dependencies.js';
import type { ActionEnvironment } from './environment.js';
import { type Emit, emitterFor } from './events.js';
import { execute } from './execute.js';
import { CreateOutcomeUnknown, describeError, RunStopped } from './failures.js';
import {
  interrupted,
  type Settled,
  SKIPPED_BY_STOP,
  SKIPPED_NEEDS_ALLOW_DELETE,
  stillInFlight,
} from './outcome.js';
import { Recorder } from './recorder.js';
import { References } from './references.js';
import { startTimer } from './timers.js';
import type { ActionOutcome, ApplyDependencies, ApplyResult, ApplyRun } from './types.js';

/** CONTRACT §6: after SIGINT/SIGTERM, requests in flight get 30 s to finish. */
export const DRAIN_TIMEOUT_MS = 30_000;

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
  private readonly finished = new Map<string, Promise<void>>();
  private readonly running = new Map<string, ActionRun>();
  private readonly emit: Emit;
  private readonly services: RunServices;
  private readonly env: ActionEnvironment;

  constructor(
    private readonly plan: Plan,
    private readonly deps: ApplyDependencies,
  ) {
    this.emit = emitterFor(deps.events);
    const admission = new Admission(deps.gate);
    this.control = new RunControl(admission, this.emit, deps.clock);
    const recorder = new Recorder(deps.store, (error) => this.control.stop('state-store', error));
    const policy = deps.retryPolicy;
    this.services = {
      admission,
      control: this.control,
      breaker: new CircuitBreaker(),
      emit: this.emit,
      retryPolicy: {
        ...policy,
        classify: (error) =>
          error instanceof RunStopped || error instanceof CreateOutcomeUnknown
            ? { transient: false }
            : policy.classify(error),
      },
      random: deps.random ?? Math.random,
      clock: deps.clock,
      recorder,
      runId: deps.runId,
      counters: { reads: 0, writes: 0, retries: 0 },
    };
    this.env = {
      client: deps.client,
      recorder,
      references: new References(plan.actions, this.outcomes, deps.store),
      passwords: deps.passwords,
      fingerprint: (plain) => deps.fingerprint(plain),
    };
    this.done = this.run();
  }

  private async run(): Promise<ApplyResult> {
    const positions = new Map(this.plan.actions.map((action, index) => [action.id, index]));
    this.plan.actions.forEach((action, index) => {
      this.finished.set(
        action.id,
        this.guarded(action, () => this.schedule(action, index, positions)),
      );
    });
    const everyAction = Promise.all(this.finished.values());
    const drainDeadline = new Promise<void>((resolve) => {
      this.control.onStop(() => {
        const timer = startTimer(this.deps.drainTimeoutMs ?? DRAIN_TIMEOUT_MS, this.deps.clock);
        void everyAction.then(() => timer.cancel());
        void timer.elapsed.then(resolve);
      });
    });
    await Promise.race([everyAction, drainDeadline]);
    this.finalize();
    const { reads, writes, retries } = this.services.counters;
    return {
      outcomes: new Map(this.plan.actions.map((action) => [action.id, this.outcomes.get(action.id)!])),
      stoppedBy: this.control.reason,
      fatalError: this.control.fatalError,
      requests: { reads, writes },
      retries,
    };
  }

  private async schedule(action: PlannedAction, position: number, positions: Map<string, number>) {
    const dependencies = dependenciesOf(action);
    const misplaced = misplacedDependency(dependencies, position, positions);
    if (misplaced !== undefined) return this.finish(action, { status: 'skipped', because: misplaced });
    await Promise.all([...dependencies.required, ...dependencies.members].map((id) => this.finished.get(id)));
    const stop = this.control.reason;
    const because =
      stop !== undefined
        ? SKIPPED_BY_STOP[stop]
        : action.requires === 'allow-delete' && !this.deps.allowDelete
          ? SKIPPED_NEEDS_ALLOW_DELETE
          : failedDependency(dependencies.required, this.outcomes);
    if (because !== undefined) return this.finish(action, { status: 'skipped', because });
    const run = new ActionRun(action, this.services);
    this.running.set(action.id, run);
    this.finish(action, await execute(run, this.env), run);
  }

  /** A bug in one action must not leave it without an outcome, nor `done` unresolved. */
  private async guarded(action: PlannedAction, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.finish(action, { status: 'failed', error: describeError(error) }, this.running.get(action.id));
    }
  }

  /** Records an action's outcome once; a later one (an answer after the drain deadline) is ignored. */
  private finish(action: PlannedAction, settled: Settled, run?: ActionRun): void {
    if (this.outcomes.has(action.id)) return;
    const outcome = { ...settled, attempts: run?.attempts ?? 0, durationMs: run?.durationMs() ?? 0 };
    this.outcomes.set(action.id, outcome);
    this.emit('actionFinished', action, outcome);
  }

  /**
   * At the drain deadline: an action whose request is still in flight may yet be
   * applied (`unknown`; an account create is marked so in the state store); one
   * that sent something and was waiting is settled from what it sent; one that
   * sent nothing is skipped.
   */
  private finalize(): void {
    const reason = this.control.reason ?? 'SIGTERM';
    for (const action of this.plan.actions) {
      if (this.outcomes.has(action.id)) continue;
      const run = this.running.get(action.id);
      let settled: Settled;
      if (run !== undefined && run.inFlight > 0) {
        settled = stillInFlight();
        if (action.kind === 'account.create') {
          markCreateUnknown(this.env, action.account, appliedByCreate(action.params));
        }
      } else if (run !== undefined && run.attempts > 0) {
        settled = interrupted(run, new RunStopped(reason));
      } else {
        settled = { status: 'skipped', because: SKIPPED_BY_STOP[reason] };
      }
      run?.settleJournal(settled);
      this.finish(action, settled, run);
    }
  }
}
