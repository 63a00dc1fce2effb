/**
 * The circuit breaker of CONTRACT §6: "when the first 20 writes all fail, or
 * more than half of the writes have failed once at least 20 were sent, the run
 * stops sending". A write is one request (every try, chunk and bisection probe
 * counts); HTTP 429 answers are left out, since they ask the client to slow
 * down (which the retry policy does) and say nothing about whether writes work.
 */

/** "the first 20 writes all fail". */
export const BREAKER_FIRST_WRITES = 20;
/** "once at least 20 were sent". */
export const BREAKER_MIN_WRITES = 20;
/** "more than half of the writes have failed". */
export const BREAKER_MAX_FAILED_SHARE = 0.5;

export class CircuitBreaker {
  private answered = 0;
  private failed = 0;

  /** Counts one answered write; true when the breaker trips with it. */
  record(outcome: 'ok' | 'failed'): boolean {
    this.answered += 1;
    if (outcome === 'failed') this.failed += 1;
    return this.firstWritesAllFailed() || this.mostWritesFailed();
  }

  private firstWritesAllFailed(): boolean {
    return this.answered >= BREAKER_FIRST_WRITES && this.failed === this.answered;
  }

  private mostWritesFailed(): boolean {
    return this.answered >= BREAKER_MIN_WRITES && this.failed > this.answered * BREAKER_MAX_FAILED_SHARE;
  }
}
