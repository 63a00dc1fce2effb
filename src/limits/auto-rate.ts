import { RATE_WINDOW_MARGIN_MS, type RateSource } from './request-gate.js';

/**
 * `--rate auto` (CONTRACT §15): a control law that looks for the Partner API's undocumented rate
 * limit and rides just under it. Pure: it reads no clock and sends nothing; the request gate
 * tells it of each start and the request pipeline of each HTTP 429, both with the time, and the
 * gate asks it for the rate in force before each start. Tested in virtual time.
 *
 * The law, chosen with bench:rate-auto (a sandbox whose limit the client does not know):
 * - **Search** (no 429 seen yet): the rate grows by SEARCH_GROWTH of itself per second of
 *   requests sent at full rate, raised at each start, so it compounds: ×1.6 a second.
 * - **Cut** at a 429: the limit is taken to be the rate the client really had in the last window
 *   (its starts in the last second, never more than the rate in force): where 429s began. The
 *   rate drops to CUT of that, and holds (no raise) for the answer's Retry-After, at least
 *   MIN_HOLD_MS. A 429 to a request that started before the last cut says nothing new (it was
 *   sent at the old rate) and is not cut for again.
 * - **Approach and probe**: below the ceiling the rate climbs back by APPROACH of the ceiling per
 *   second, then, from NEAR the ceiling, probes past it slowly. Each 429 that lands near the
 *   same ceiling halves the probe (down to MIN_PROBE), so a steady limit costs fewer and fewer
 *   429s; a ceiling that moved resets it. A rate FORGET above the ceiling without a 429 means the
 *   limit went up: the ceiling is forgotten and the search starts again.
 *
 * AIMD (halving at each 429) averages 3/4 of the limit, below the 0.85 the benchmark asks for.
 * bench:rate-auto at L = 60 with CUT 0.9 and a search of ×1.25 a second achieved 0.81–0.86 of L
 * (6 429s in 5,226 requests): the first 10 s went to the search and the rest sat at 0.9 of L. So
 * the search is ×1.6 a second and the cut 0.95: 429s were that rare, and the gate's own window
 * margin (RATE_WINDOW_MARGIN_MS) already keeps the achieved rate 4% under the rate in force.
 * With these, bench:rate-auto achieved 0.94 of L = 5 (0.70% of requests answered 429), 0.94 of
 * L = 25 (0.21%) and 0.92 of L = 60 (0.11%), and followed a drop from 60 to 20 in 1.3 s.
 */

/** Where a run starts when the state store has learned nothing for its base URL (CONTRACT §15). */
export const AUTO_RATE_START = 10;
/** Never slower than one request every two seconds, whatever the 429s: the run must end. */
export const AUTO_RATE_MIN = 0.5;
/** Growth per second, of the rate itself, before the first 429 (compounded at each start: ×1.6 a second, 10/s to 60/s in 4 s). */
export const SEARCH_GROWTH = 0.5;
/** The rate after a cut, as a share of the measured ceiling. */
export const CUT = 0.95;
/** Below NEAR × ceiling, the climb back per second, as a share of the ceiling (0.95 → 0.98 in 1.5 s). */
export const APPROACH = 0.02;
export const NEAR = 0.98;
/** The first probe past the ceiling, per second, as a share of it; halved at each 429 near the same ceiling. */
export const PROBE = 0.01;
export const MIN_PROBE = 0.001;
/**
 * A new ceiling within this share of the last one (or one request a second, which is all a low
 * limit can move by: 5/s is found as 5 or 6) is the same limit found again.
 */
const SAME_CEILING = 0.1;
/** This far above the ceiling without a 429, the limit has moved up: search again. */
export const FORGET = 1.1;
/** No raise for this long after a cut, even when the 429 carried no Retry-After. */
export const MIN_HOLD_MS = 1000;
/**
 * The rate is raised only while the run keeps it busy: at least this share of it was started in
 * the last window. A run held back by its dependencies or by --concurrency never tests a higher
 * rate, so it must not learn one.
 */
export const BUSY_SHARE = 0.75;
/** The gate's own window: it starts at most `rate` requests in any window this long. */
const WINDOW_MS = 1000 + RATE_WINDOW_MARGIN_MS;

export interface AutoRateOptions {
  /** The first rate: AUTO_RATE_START, or the rate the state store learned last time. */
  start: number;
  /** --max-rate: never above it. */
  max: number;
  /** `start` is a rate an earlier run learned: it is taken as just under the limit, and probed gently from. */
  learned: boolean;
}

/** What the controller knows, for the summary and the state store. */
export interface AutoRateReport {
  mode: 'auto';
  start: number;
  /** The rate to start the next run at: CUT of the last ceiling, or the rate reached when no 429 came. */
  learned: number;
  max: number;
  /** The ceiling found (where 429s began), when one was. */
  ceiling?: number;
  /** 429 answers seen, and the cuts they caused. */
  throttled: number;
  cuts: number;
}

/** summary.json's `rate`: the limit a run kept to. */
export type RateSummary = { mode: 'fixed'; rate: number } | AutoRateReport;

export class AutoRateController implements RateSource {
  readonly max: number;
  private readonly start: number;
  private current: number;
  private ceiling: number | undefined;
  private probe = PROBE;
  private holdUntil = Number.NEGATIVE_INFINITY;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  /** Start times within the last window, oldest first. */
  private readonly recentStarts: number[] = [];
  private throttledCount = 0;
  private cuts = 0;

  constructor(options: AutoRateOptions) {
    this.max = options.max;
    this.start = clamp(options.start, AUTO_RATE_MIN, options.max);
    this.current = this.start;
    // A learned start is CUT of the ceiling the last run found (see `learned`).
    if (options.learned) this.ceiling = this.start / CUT;
  }

  /** The rate in force, requests per second. */
  rate(): number {
    return this.current;
  }

  /** A request started at `now` (ms): raises the rate when the run keeps it busy and nothing holds it. */
  started(now: number): void {
    this.recentStarts.push(now);
    while ((this.recentStarts[0] ?? now) <= now - WINDOW_MS) this.recentStarts.shift();
    if (now < this.holdUntil) return;
    if (this.recentStarts.length < BUSY_SHARE * this.current) return;
    const perSecond = this.growthPerSecond();
    // Spread over the starts of a second: a second at full rate has about `current` of them.
    this.current = Math.min(this.max, this.current + perSecond / this.current);
    if (this.ceiling !== undefined && this.current > FORGET * this.ceiling) {
      this.ceiling = undefined;
      this.probe = PROBE;
    }
  }

  /**
   * A request that started at `startedAt` was answered 429 at `now`, with `Retry-After` when the
   * API sent one: cut and hold, unless a cut after it started already answered it.
   */
  throttled(startedAt: number, now: number, retryAfterMs: number | undefined): void {
    this.throttledCount += 1;
    this.holdUntil = Math.max(this.holdUntil, now + Math.max(MIN_HOLD_MS, retryAfterMs ?? 0));
    if (startedAt < this.lastCutAt) return;
    while ((this.recentStarts[0] ?? now) <= now - WINDOW_MS) this.recentStarts.shift();
    const found = Math.max(AUTO_RATE_MIN, Math.min(this.current, this.recentStarts.length));
    const previous = this.ceiling;
    this.probe =
      previous !== undefined && Math.abs(found - previous) <= Math.max(SAME_CEILING * previous, 1)
        ? Math.max(MIN_PROBE, this.probe / 2)
        : PROBE;
    this.ceiling = found;
    this.current = clamp(found * CUT, AUTO_RATE_MIN, this.max);
    this.lastCutAt = now;
    this.cuts += 1;
  }

  report(): AutoRateReport {
    const learned = this.ceiling === undefined ? this.current : Math.min(this.current, this.ceiling * CUT);
    return {
      mode: 'auto',
      start: round(this.start),
      learned: round(clamp(learned, AUTO_RATE_MIN, this.max)),
      max: this.max,
      ...(this.ceiling === undefined ? {} : { ceiling: round(this.ceiling) }),
      throttled: this.throttledCount,
      cuts: this.cuts,
    };
  }

  private growthPerSecond(): number {
    const { ceiling } = this;
    if (ceiling === undefined) return SEARCH_GROWTH * this.current;
    if (this.current < NEAR * ceiling) return APPROACH * ceiling;
    return this.probe * ceiling;
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Two decimals: what the summary and the state store keep. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
