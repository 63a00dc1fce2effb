import pLimit, { type LimitFunction } from 'p-limit';

/**
 * Admission of HTTP requests under the two limits of CONTRACT §6, which are different things
 * (ARCHITECTURE rule 7): `concurrency` bounds requests in flight, `rate` bounds requests
 * started in any sliding one-second window, the first second included.
 *
 * Every retry goes through the gate again, so the limits hold during retries too. Never call
 * `run` from inside a function the same gate is already running: it would wait for itself.
 */
export interface RequestGate {
  /**
   * Runs `request` once a slot in flight and a start slot are both free; resolves with its result.
   * `prepare` runs once the slot in flight is taken and before the start is stamped: slow
   * bookkeeping (a journal entry written to disk) belongs there, not between the stamp and the
   * request, where it would make the request leave later than the gate counted it. The request
   * waits for a promise it returns.
   */
  run<T>(request: () => Promise<T>, prepare?: () => void | Promise<void>): Promise<T>;
  /**
   * Refuses with `error` every request still waiting (for a slot in flight or for its start) and
   * every later one, at once and without spending a start slot; requests already started run on.
   * A stopped run closes its gate, so nothing it had queued is sent.
   */
  close(error: Error): void;
  /** Requests in flight at most (--concurrency). */
  readonly concurrency: number;
  /** Requests started so far. */
  readonly started: number;
  /** Requests running now. */
  readonly inFlight: number;
  /** Requests per second in force now. */
  readonly rate: number;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The window the rate is counted over. */
const RATE_WINDOW_MS = 1000;

/**
 * Extra room kept in every window. A start is stamped when the request is handed to the HTTP
 * client, but the bytes leave later — later still for the first request on a new connection, or
 * when the event loop is held by a disk flush (an account create's records are flushed) or a
 * garbage collection. Without room, a late request and an on-time one `rate` starts after it
 * land in the same second at the server: bench:apply saw 51 arrivals in 998 ms at --rate 50
 * with 25 ms of room, from requests up to 27 ms late in the first second. 40 ms costs 3.8% of
 * throughput at most (1000/1040).
 */
export const RATE_WINDOW_MARGIN_MS = 40;

/**
 * How late a start may be and still keep to the schedule. A timer cannot wait less than about a
 * millisecond, so at --rate 5000 (0.2 ms apart) each start woke a whole millisecond late and,
 * counted as idle, restarted the schedule: the gate let through one start per timer, ~1,000/s,
 * one request in flight. Allowing this much lateness lets the starts a late timer owes go
 * together (at most 2 ms worth: 10 at 5000/s); at rates of 500/s or less the spacing is larger and
 * decides alone. The sliding window still bounds every second.
 */
export const TIMER_LATENESS_MS = 2;

/**
 * A rate that may change while the gate runs (`--rate auto`): asked before each start, told of
 * each start with its time. The gate holds every start to the rate in force at that moment.
 */
export interface RateSource {
  /** Requests per second now. */
  rate(): number;
  /** The most `rate()` ever returns: sizes the gate's record of recent starts. */
  readonly max: number;
  started?(now: number): void;
}

export interface RequestGateOptions {
  concurrency: number;
  /** Requests per second: a fixed number (--rate N), or a source whose rate changes (--rate auto). */
  rate: number | RateSource;
  clock?: Clock;
}

export function createRequestGate(options: RequestGateOptions): RequestGate {
  const clock = options.clock ?? systemClock;
  // Cleared on close: the requests waiting for a slot in flight are rejected, never run.
  const inFlightLimit: LimitFunction = pLimit({ concurrency: options.concurrency, rejectOnClear: true });
  const source: RateSource = typeof options.rate === 'number' ? fixedRate(options.rate) : options.rate;
  const startSlots = new StartSlots(source, clock);
  let started = 0;
  let closedWith: Error | undefined;
  return {
    run(request, prepare) {
      if (closedWith !== undefined) return Promise.reject(closedWith);
      let admitted = false;
      return inFlightLimit(async () => {
        admitted = true;
        await prepare?.();
        if (closedWith === undefined) await startSlots.take();
        // Closed while it prepared or waited for its start: it takes no slot and sends nothing.
        if (closedWith !== undefined) throw closedWith;
        started += 1;
        return request();
      }).catch((error: unknown) => {
        // Only the clearing of the queue rejects a request that was never admitted.
        throw admitted ? error : (closedWith ?? error);
      });
    },
    close(error) {
      if (closedWith !== undefined) return;
      closedWith = error;
      inFlightLimit.clearQueue();
      startSlots.close();
    },
    concurrency: options.concurrency,
    get started() {
      return started;
    },
    get inFlight() {
      return inFlightLimit.activeCount;
    },
    get rate() {
      return source.rate();
    },
  };
}

function fixedRate(rate: number): RateSource {
  return { rate: () => rate, max: rate };
}

/**
 * Hands out start times one at a time, in arrival order. Starts follow a schedule 1000/rate ms
 * apart, and no window of RATE_WINDOW_MS + margin holds more than `rate` of them.
 *
 * The window is checked against the times starts really happened, so a stalled event loop
 * cannot release more than `rate` starts in any second afterwards. The spacing follows the
 * schedule, not the real start times: timers fire late on a busy machine (4 ms late on each of
 * 50 starts a second is 20% of the rate), and measuring from the late start would let that
 * lateness add up. A start that was late by up to one spacing (or TIMER_LATENESS_MS) is made
 * up; an idle gate earns no more credit than that, so no burst follows a pause.
 *
 * Under `--rate auto` the rate is asked again before every start: a cut holds the next start to
 * the lower rate at once, spacing and window both (the window counts the starts made at the
 * old rate too), so no one-second window ever holds more than the rate in force.
 */
class StartSlots {
  private spacingMs = 0;
  /** How late a start may be and still keep to the schedule (see TIMER_LATENESS_MS). */
  private catchUpMs = 0;
  private perWindow = 1;
  /** The rate the three fields above were computed for. */
  private ratePerSecond = Number.NaN;
  /** The most starts a window can ever hold (at the source's highest rate). */
  private readonly capacity: number;
  /** Times of the most recent `capacity` starts, oldest first. */
  private readonly recentStarts: number[] = [];
  /** The scheduled time of the last start. */
  private lastSlot = Number.NEGATIVE_INFINITY;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Ends the wait of the one start waiting now (the queue lets one wait at a time). */
  private wakeEarly: (() => void) | undefined;

  constructor(
    private readonly source: RateSource,
    private readonly clock: Clock,
  ) {
    this.capacity = Math.max(1, Math.floor(source.max));
    this.follow(source.rate());
  }

  /** Takes the rate in force: a cut holds the very next start to it, a window included. */
  private follow(rate: number): void {
    if (rate === this.ratePerSecond) return;
    this.ratePerSecond = rate;
    this.spacingMs = RATE_WINDOW_MS / rate;
    this.catchUpMs = Math.max(this.spacingMs, TIMER_LATENESS_MS);
    // A fractional rate (0.5/s) still allows one start per window of 1000/rate ms, kept by the spacing.
    this.perWindow = Math.min(this.capacity, Math.max(1, Math.floor(rate)));
  }

  /** Resolves when the start may happen; once closed, at once and without taking a slot. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn;
    return turn;
  }

  /** Every later `take` resolves at once, and the wait under way now ends. */
  close(): void {
    this.closed = true;
    this.wakeEarly?.();
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      this.follow(this.source.rate());
      const now = this.clock.now();
      const earliest = this.earliestStart();
      if (now >= earliest) {
        // Late by up to one spacing (or a timer's lateness): keep to the schedule. Later, the gate was idle: start afresh.
        this.lastSlot = now - earliest <= this.catchUpMs ? earliest : now;
        this.recentStarts.push(now);
        if (this.recentStarts.length > this.capacity) this.recentStarts.shift();
        this.source.started?.(now);
        return;
      }
      await this.sleep(earliest - now);
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((wake) => {
      this.wakeEarly = wake;
      void this.clock.sleep(ms).then(wake);
    });
    this.wakeEarly = undefined;
  }

  private earliestStart(): number {
    const spaced = this.lastSlot + this.spacingMs;
    const count = this.recentStarts.length;
    if (count < this.perWindow) return spaced;
    // The oldest of the last `perWindow` starts: the window they span must be over first.
    const oldest = this.recentStarts[count - this.perWindow] ?? Number.NEGATIVE_INFINITY;
    return Math.max(spaced, oldest + RATE_WINDOW_MS + RATE_WINDOW_MARGIN_MS);
  }
}
