import type { Clock } from '../limits/request-gate.js';
import { type RetryPolicy, withRetry } from '../limits/retry.js';
import { InvalidTokenError } from '../omnize/errors.js';
import type { PlannedAction } from '../plan/action.js';
import type { Admission } from './admission.js';
import { CircuitBreaker } from './breaker.js';
import type { RunControl } from './control.js';
import type { Emit } from './events.js';
import { CreateOutcomeUnknown, describeError, isThrottling, mayHaveApplied, RunStopped } from './failures.js';
import type { RequestHistory, Settled } from './outcome.js';
import type { Recorder } from './recorder.js';
import { nowOf } from './timers.js';
import type { ApplyDependencies } from './types.js';

/** What every action of one run shares: the limits, the stop switch, the counters. */
export interface RunServices {
  admission: Admission;
  control: RunControl;
  breaker: CircuitBreaker;
  emit: Emit;
  /** Never retries `RunStopped` or `CreateOutcomeUnknown`, whatever the caller's policy says. */
  retryPolicy: RetryPolicy;
  random: () => number;
  clock: Clock | undefined;
  recorder: Recorder;
  runId: string;
  counters: { reads: number; writes: number; retries: number };
}

/** The services of one run, from what apply was given. */
export function createRunServices(
  deps: ApplyDependencies,
  admission: Admission,
  control: RunControl,
  recorder: Recorder,
  emit: Emit,
): RunServices {
  const policy = deps.retryPolicy;
  return {
    admission,
    control,
    breaker: new CircuitBreaker(),
    emit,
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
}

/**
 * One action while it runs: its requests go through here, one try at a time
 * (`sendWrite`, `sendRead`) or with retries (`write`, `read`, `retrying`). Each
 * try waits for the gate and is refused once the run has stopped; the first
 * write is journalled before it is sent.
 */
export class ActionRun implements RequestHistory {
  attempts = 0;
  /** Requests of this action being answered right now. */
  inFlight = 0;
  mayHaveApplied = false;
  lastError: unknown = undefined;
  private startedAt: number | undefined;
  private journalEntry: number | undefined;

  constructor(
    readonly action: PlannedAction,
    private readonly services: RunServices,
  ) {}

  sendWrite<T>(call: () => Promise<T>): Promise<T> {
    return this.send('write', call);
  }

  sendRead<T>(call: () => Promise<T>): Promise<T> {
    return this.send('read', call);
  }

  write<T>(call: () => Promise<T>): Promise<T> {
    return this.retrying(() => this.sendWrite(call));
  }

  read<T>(call: () => Promise<T>): Promise<T> {
    return this.retrying(() => this.sendRead(call));
  }

  /** Runs `attempt` (one or more tries of requests) under the retry policy. */
  async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const { retryPolicy, control, random, counters, emit } = this.services;
    const result = await withRetry(attempt, retryPolicy, {
      clock: control.retryClock,
      random,
      shouldStop: () => control.stopped,
      onRetry: (tryNumber, error, delayMs) => {
        counters.retries += 1;
        emit('retryScheduled', this.action, tryNumber, describeError(error), delayMs);
      },
    });
    return result.value;
  }

  durationMs(): number {
    return this.startedAt === undefined ? 0 : nowOf(this.services.clock) - this.startedAt;
  }

  /** Settles the journal entry, if a write was sent. The first settlement wins, so a late one does no harm. */
  settleJournal(settled: Settled): void {
    const entry = this.journalEntry;
    if (entry === undefined) return;
    const outcome = settled.status === 'ok' || settled.status === 'unknown' ? settled.status : 'failed';
    const remoteId = settled.status === 'ok' ? settled.remoteId : undefined;
    const error =
      'error' in settled ? settled.error?.message : 'because' in settled ? settled.because : undefined;
    this.services.recorder.write(`the journal entry of ${this.action.id} could not be settled`, (store) =>
      store.journalSettle(entry, { outcome, remoteId, error }),
    );
  }

  private send<T>(kind: 'read' | 'write', call: () => Promise<T>): Promise<T> {
    const { admission, control } = this.services;
    // The journal entry is written before the gate stamps the start, so the disk write cannot hold the request back.
    const prepare = kind === 'write' ? () => this.beginJournal() : undefined;
    return admission.run(async () => {
      control.assertRunning();
      this.countRequest(kind);
      this.inFlight += 1;
      try {
        const value = await call();
        if (kind === 'write') this.countWrite(undefined);
        return value;
      } catch (error) {
        this.noteFailure(kind, error);
        throw error;
      } finally {
        this.inFlight -= 1;
      }
    }, prepare);
  }

  /** Journalled before the first write is sent; a store that refuses stops the run, so nothing is sent unjournalled. */
  private beginJournal(): void {
    if (this.journalEntry !== undefined) return;
    const { action } = this;
    this.journalEntry = this.services.recorder.write(`the journal could not record ${action.id}`, (store) =>
      store.journalBegin({
        runId: this.services.runId,
        actionId: action.id,
        kind: action.kind,
        accountKey: action.account,
        target: action.target,
        // Params hold no secret: passwords appear only as where to take them from.
        request: { params: action.params },
      }),
    );
  }

  private countRequest(kind: 'read' | 'write'): void {
    const { counters, emit, clock } = this.services;
    if (this.startedAt === undefined) {
      this.startedAt = nowOf(clock);
      emit('actionStarted', this.action);
    }
    if (kind === 'write') {
      this.attempts += 1;
      counters.writes += 1;
    } else {
      counters.reads += 1;
    }
    emit('requestStarted', { kind, action: this.action });
  }

  private noteFailure(kind: 'read' | 'write', error: unknown): void {
    if (error instanceof InvalidTokenError) {
      this.services.control.stop('invalid-token', error);
    }
    if (kind !== 'write') return;
    this.lastError = error;
    if (mayHaveApplied(error)) this.mayHaveApplied = true;
    this.countWrite(error);
  }

  private countWrite(error: unknown): void {
    if (error !== undefined && isThrottling(error)) return;
    if (this.services.breaker.record(error === undefined ? 'ok' : 'failed')) {
      this.services.control.stop('circuit-breaker');
    }
  }
}
