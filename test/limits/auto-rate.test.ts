import { describe, expect, it } from 'vitest';
import { gateLayer } from '../../src/apply/requests/gate.js';
import { composeLayers } from '../../src/apply/requests/pipeline.js';
import { throttleLayer } from '../../src/apply/requests/throttle.js';
import {
  APPROACH,
  AUTO_RATE_START,
  AutoRateController,
  CUT,
  FORGET,
  MIN_HOLD_MS,
  PROBE,
  SEARCH_GROWTH,
} from '../../src/limits/auto-rate.js';
import { createRequestGate } from '../../src/limits/request-gate.js';
import { TransientApiError } from '../../src/omnize/errors.js';
import { RateLimiter } from '../../src/sandbox/traffic.js';
import { FakeClock } from './fake-clock.js';

/** Feeds `seconds` of starts at the rate in force, from `from` (ms); returns the time reached. */
function runAtRate(controller: AutoRateController, from: number, seconds: number, share = 1): number {
  let now = from;
  const end = from + seconds * 1000;
  while (now < end) {
    controller.started(now);
    now += 1000 / (controller.rate() * share);
  }
  return now;
}

describe('--rate auto control law', () => {
  it('starts at 10/s and, while nothing is throttled and the run keeps it busy, grows by e^0.5 (×1.65) a second', () => {
    const controller = new AutoRateController({ start: AUTO_RATE_START, max: 100, learned: false });
    expect(controller.rate()).toBe(10);
    // Busy only once BUSY_SHARE of a window's worth has started: not in the first 3/4 second.
    const warm = runAtRate(controller, 0, 1);
    const before = controller.rate();
    expect(before).toBeLessThanOrEqual(10 * (1 + SEARCH_GROWTH / 2));
    runAtRate(controller, warm, 1);
    // Raised at each start, so it compounds: e^SEARCH_GROWTH a second.
    expect(controller.rate() / before).toBeGreaterThan(Math.exp(SEARCH_GROWTH * 0.9));
    expect(controller.rate() / before).toBeLessThan(Math.exp(SEARCH_GROWTH * 1.1));
  });

  it('does not raise a rate the run does not use (held back by --concurrency or its dependencies)', () => {
    const controller = new AutoRateController({ start: 10, max: 100, learned: false });
    runAtRate(controller, 0, 10, 0.5);
    expect(controller.rate()).toBe(10);
  });

  it('never goes above --max-rate, nor starts above it', () => {
    const controller = new AutoRateController({ start: 10, max: 30, learned: false });
    runAtRate(controller, 0, 60);
    expect(controller.rate()).toBe(30);
    expect(new AutoRateController({ start: 80, max: 30, learned: true }).rate()).toBe(30);
  });

  it('at a 429 cuts to CUT of the rate really sent in the last window, and holds for Retry-After', () => {
    const controller = new AutoRateController({ start: 40, max: 100, learned: false });
    // Half the rate in force was sent: the starts in the window, not the rate, measure where 429s began.
    const now = runAtRate(controller, 0, 2, 0.5);
    controller.throttled(now - 50, now, 3000);
    // 20/s sent: 20 or 21 starts in the gate's 1,040 ms window.
    expect(controller.rate()).toBeGreaterThanOrEqual(CUT * 20);
    expect(controller.rate()).toBeLessThanOrEqual(CUT * 21);
    const cut = controller.rate();
    runAtRate(controller, now, 2.9);
    expect(controller.rate()).toBe(cut);
    runAtRate(controller, now + 3000, 1);
    expect(controller.rate()).toBeGreaterThan(cut);
    expect(controller.report()).toMatchObject({ mode: 'auto', start: 40, throttled: 1, cuts: 1 });
  });

  it('holds at least MIN_HOLD_MS when the 429 has no Retry-After', () => {
    const controller = new AutoRateController({ start: 20, max: 100, learned: false });
    const now = runAtRate(controller, 0, 2);
    controller.throttled(now - 40, now, undefined);
    const cut = controller.rate();
    runAtRate(controller, now, (MIN_HOLD_MS - 10) / 1000);
    expect(controller.rate()).toBe(cut);
  });

  it('does not cut again for a 429 to a request that started before the last cut', () => {
    const controller = new AutoRateController({ start: 50, max: 100, learned: false });
    const now = runAtRate(controller, 0, 2);
    controller.throttled(now - 40, now, 1000);
    const once = controller.rate();
    controller.throttled(now - 30, now + 5, 1000);
    expect(controller.rate()).toBe(once);
    controller.throttled(now + 10, now + 60, 1000);
    expect(controller.rate()).toBeLessThan(once);
    expect(controller.report()).toMatchObject({ throttled: 3, cuts: 2 });
  });

  it('climbs back under the ceiling by APPROACH of it a second, then probes past it by PROBE of it', () => {
    const controller = new AutoRateController({ start: 45, max: 100, learned: true });
    const ceiling = 45 / CUT;
    const warm = runAtRate(controller, 0, 1);
    const from = controller.rate();
    const second = runAtRate(controller, warm, 1);
    expect(controller.rate() - from).toBeCloseTo(APPROACH * ceiling, 0);
    const near = runAtRate(controller, second, 10);
    const before = controller.rate();
    expect(before).toBeGreaterThan(0.97 * ceiling);
    runAtRate(controller, near, 1);
    // A second at full rate is `rate` starts here (the gate's window margin makes it a little fewer).
    expect(controller.rate() - before).toBeLessThanOrEqual(PROBE * ceiling * 1.05);
  });

  it('forgets a ceiling it passed by FORGET without a 429: the limit went up, the search starts again', () => {
    const controller = new AutoRateController({ start: 18, max: 100, learned: true });
    let now = 0;
    while (controller.rate() <= FORGET * 20) now = runAtRate(controller, now, 1);
    const before = controller.rate();
    runAtRate(controller, now, 1);
    expect(controller.rate()).toBeGreaterThan(before * (1 + SEARCH_GROWTH * 0.8));
  });

  it('reports as learned CUT of the ceiling found, or the rate reached when no 429 came', () => {
    const searching = new AutoRateController({ start: 10, max: 100, learned: false });
    runAtRate(searching, 0, 3);
    expect(searching.report().learned).toBeCloseTo(searching.rate(), 1);
    expect(searching.report()).not.toHaveProperty('ceiling');
    const now = runAtRate(searching, 3000, 1);
    searching.throttled(now - 40, now, 1000);
    const { learned, ceiling } = searching.report();
    expect(learned).toBeCloseTo(CUT * (ceiling ?? 0), 1);
  });
});

/**
 * The real gate and 429 layer against the sandbox's own limiter (a sliding one-second window) in
 * virtual time: the request pipeline's order (gate, then the 429 layer below it), a retry after
 * Retry-After as the retry layer does, 40 ms latency as bench:rate-auto's sandbox.
 */
async function simulate(options: {
  limit: number;
  requests: number;
  dropTo?: { at: number; limit: number };
}) {
  const clock = new FakeClock();
  const controller = new AutoRateController({ start: AUTO_RATE_START, max: 100, learned: false });
  const concurrency = 8;
  const gate = createRequestGate({ concurrency, rate: controller, clock });
  const limiter = new RateLimiter(options.limit);
  const starts: { at: number; rate: number; throttled: boolean }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const send = composeLayers([gateLayer(gate), throttleLayer(controller, clock)]);
  const serve = async (): Promise<void> => {
    const now = clock.now();
    const start = { at: now, rate: controller.rate(), throttled: false };
    starts.push(start);
    if (options.dropTo !== undefined && now >= options.dropTo.at) {
      limiter.setLimit(options.dropTo.limit);
      options.dropTo = undefined;
    }
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    try {
      const retryAfter = limiter.admit(now);
      if (retryAfter !== undefined) {
        start.throttled = true;
        throw new TransientApiError('POST /agents', {
          cause: 'http-429',
          outcomeUnknown: false,
          retryAfterMs: retryAfter * 1000,
          httpStatus: 429,
        });
      }
      await clock.sleep(40);
    } finally {
      inFlight -= 1;
    }
  };
  const one = async (): Promise<void> => {
    for (;;) {
      try {
        return await send({ kind: 'write', send: serve });
      } catch (error) {
        await clock.sleep((error as TransientApiError).retryAfterMs ?? 1000);
      }
    }
  };
  const all = Promise.all(Array.from({ length: options.requests }, one));
  await clock.runUntilIdle();
  await all;
  return { starts, mostInFlight, finishedAt: clock.now(), controller };
}

function admittedPerSecond(starts: { at: number; throttled: boolean }[], from: number, to: number): number {
  return (
    starts.filter((start) => !start.throttled && start.at >= from && start.at < to).length /
    ((to - from) / 1000)
  );
}

describe('--rate auto in virtual time, against the sandbox limiter', () => {
  it.each([25, 60])(
    'rides just under an unknown limit of %i/s: ≥ 0.85 of it, at most 2 in 100 answered 429',
    async (limit) => {
      const { starts, finishedAt, mostInFlight } = await simulate({ limit, requests: limit * 60 });
      const throttled = starts.filter((start) => start.throttled).length;
      expect(throttled / starts.length).toBeLessThanOrEqual(0.02);
      expect(admittedPerSecond(starts, 0, finishedAt) / limit).toBeGreaterThanOrEqual(0.85);
      expect(mostInFlight).toBeLessThanOrEqual(8);
    },
  );

  it('keeps every one-second window to the rate in force at each start, while that rate moves', async () => {
    const { starts } = await simulate({ limit: 25, requests: 1500 });
    const rates = new Set(starts.map((start) => Math.floor(start.rate)));
    expect(rates.size).toBeGreaterThan(5);
    starts.forEach((start, index) => {
      let inWindow = 0;
      for (let before = index; before >= 0 && start.at - starts[before]!.at < 1000; before -= 1)
        inWindow += 1;
      expect(inWindow).toBeLessThanOrEqual(Math.max(1, Math.floor(start.rate)));
    });
  });

  it('follows a limit that drops from 60 to 20 within 10 s', async () => {
    const dropAt = 40_000;
    const { starts } = await simulate({ limit: 60, requests: 3000, dropTo: { at: dropAt, limit: 20 } });
    const sentPerSecond = (from: number) =>
      starts.filter((start) => start.at >= from && start.at < from + 1000).length;
    expect(sentPerSecond(dropAt - 2000)).toBeGreaterThan(45);
    for (let second = 10; second < 20; second += 1) {
      expect(sentPerSecond(dropAt + second * 1000)).toBeLessThanOrEqual(22);
    }
    expect(admittedPerSecond(starts, dropAt + 10_000, dropAt + 30_000)).toBeGreaterThanOrEqual(0.85 * 20);
  });
});
