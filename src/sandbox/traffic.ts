/** How the sandbox misbehaves on purpose: a request-rate limit and injected faults. */

/**
 * The faults `--fail-rate` chooses among, evenly:
 * - `server-error`: HTTP 500 with a small HTML page (what a proxy in front of
 *   the real server sends), nothing applied;
 * - `drop`: the connection is destroyed after the request was read, no answer.
 *   For a write, half the drops apply the write first, so the client really
 *   cannot tell whether it landed;
 * - `slow`: the normal answer, after `slowMs` (default 2 s) more.
 */
export const FAULT_KINDS = ['server-error', 'drop', 'slow'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault forced onto the next requests by a test; the two `drop-…` kinds fix whether a write is applied. */
export type ForcedFault = FaultKind | 'drop-after-write' | 'drop-before-write';

/** The length of the rate limit's sliding window. */
const WINDOW_MS = 1000;

/**
 * A sliding one-second window over the arrival times of admitted requests:
 * at most `limit` requests are admitted in any window. Refused requests do not
 * count, so a client that waits as told always gets through.
 */
export class RateLimiter {
  private arrivals: number[] = [];

  constructor(private limit: number | undefined) {}

  setLimit(limit: number | undefined): void {
    this.limit = limit;
    this.arrivals = [];
  }

  /** Admits the request arriving at `now` (ms), or returns the whole seconds until a slot frees (≥ 1) for Retry-After. */
  admit(now: number): number | undefined {
    if (this.limit === undefined || this.limit <= 0) return undefined;
    while (this.arrivals.length > 0 && this.arrivals[0]! <= now - WINDOW_MS) this.arrivals.shift();
    if (this.arrivals.length < this.limit) {
      this.arrivals.push(now);
      return undefined;
    }
    return Math.max(1, Math.ceil((this.arrivals[0]! + WINDOW_MS - now) / 1000));
  }
}

/** What happens to one request. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'server-error' }
  | { kind: 'slow' }
  | { kind: 'drop'; applyWriteFirst: boolean };

/** Chooses the fault of each request: first any forced by `failNext`, then at random with probability `failRate`. */
export class FaultInjector {
  private readonly forced: ForcedFault[] = [];

  constructor(
    private failRate: number,
    private kinds: readonly FaultKind[],
    private readonly random: () => number,
  ) {}

  setFailRate(failRate: number, kinds: readonly FaultKind[] = this.kinds): void {
    this.failRate = failRate;
    this.kinds = kinds;
  }

  failNext(fault: ForcedFault, count: number): void {
    for (let index = 0; index < count; index += 1) this.forced.push(fault);
  }

  decide(): FaultDecision {
    const forced = this.forced.shift();
    if (forced !== undefined) return this.decision(forced);
    if (this.failRate <= 0 || this.kinds.length === 0 || this.random() >= this.failRate)
      return { kind: 'none' };
    const index = Math.min(this.kinds.length - 1, Math.floor(this.random() * this.kinds.length));
    return this.decision(this.kinds[index]!);
  }

  private decision(fault: ForcedFault): FaultDecision {
    if (fault === 'drop-after-write') return { kind: 'drop', applyWriteFirst: true };
    if (fault === 'drop-before-write') return { kind: 'drop', applyWriteFirst: false };
    if (fault === 'drop') return { kind: 'drop', applyWriteFirst: this.random() < 0.5 };
    return { kind: fault };
  }
}
