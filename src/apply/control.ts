import type { Clock, RequestGate } from '../limits/request-gate.js';
import type { Emit } from './events.js';
import { RunStopped } from './failures.js';
import { nowOf, startTimer, type Timer } from './timers.js';
import type { StopReason } from './types.js';

/**
 * Whether the run may still send, and why not. Stopping closes the request
 * gate (requests waiting in it are refused at once), ends retry waits at once,
 * and tells the listeners (the drain deadline); a new request is refused by the
 * pipeline's stop check (`assertRunning`).
 */
export class RunControl {
  private stopReason: StopReason | undefined;
  private firstFatalError: Error | undefined;
  private readonly waits = new Set<Timer>();
  private readonly stopListeners: (() => void)[] = [];
  /** The clock retry waits use: the run's clock, with waits that a stop cuts short. */
  readonly retryClock: Clock;

  constructor(
    private readonly gate: Pick<RequestGate, 'close'>,
    private readonly emit: Emit,
    clock: Clock | undefined,
  ) {
    this.retryClock = { now: () => nowOf(clock), sleep: (ms) => this.wait(ms, clock) };
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  get fatalError(): Error | undefined {
    return this.firstFatalError;
  }

  /** The first stop wins; a fatal error is kept even when the run had stopped already for another reason. */
  stop(reason: StopReason, error?: Error): void {
    if (error !== undefined) this.firstFatalError ??= error;
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.gate.close(new RunStopped(reason));
    for (const wait of this.waits) wait.cancel();
    this.waits.clear();
    this.emit('runStopped', reason, error);
    for (const listener of this.stopListeners.splice(0)) listener();
  }

  /** Throws `RunStopped` once the run has stopped. */
  assertRunning(): void {
    if (this.stopReason !== undefined) throw new RunStopped(this.stopReason);
  }

  onStop(listener: () => void): void {
    if (this.stopReason !== undefined) listener();
    else this.stopListeners.push(listener);
  }

  private async wait(ms: number, clock: Clock | undefined): Promise<void> {
    if (this.stopReason !== undefined) return;
    const timer = startTimer(ms, clock);
    this.waits.add(timer);
    try {
      await timer.elapsed;
    } finally {
      this.waits.delete(timer);
    }
  }
}
