import { describe, expect, it } from 'vitest';
import { createRequestGate, RATE_WINDOW_MARGIN_MS } from '../../src/limits/request-gate.js';
import { FakeClock } from './fake-clock.js';

/** Most starts in any half-open window [t, t + width) for t at each start. */
function busiestWindow(starts: number[], width: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last]! - sorted[first]! >= width) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function drive(options: {
  rate: number;
  concurrency: number;
  requests: number;
  durationMs: (i: number) => number;
  timersLateMs?: number;
}) {
  const clock = new FakeClock(options.timersLateMs);
  const gate = createRequestGate({ rate: options.rate, concurrency: options.concurrency, clock });
  const starts: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const all = Array.from({ length: options.requests }, (_, i) =>
    gate.run(async () => {
      starts.push(clock.now());
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await clock.sleep(options.durationMs(i));
      inFlight -= 1;
      return i;
    }),
  );
  await clock.runUntilIdle();
  const results = await Promise.all(all);
  return { starts, mostInFlight, results, finishedAt: clock.now(), gate };
}

describe('request gate', () => {
  it('never starts more than rate requests in any one-second window, the first included', async () => {
    const { starts } = await drive({ rate: 10, concurrency: 8, requests: 200, durationMs: () => 30 });
    expect(starts).toHaveLength(200);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
    expect(busiestWindow(starts.slice(0, 11), 1000)).toBeLessThanOrEqual(10);
  });

  it('spaces starts evenly instead of releasing a burst', async () => {
    const { starts } = await drive({ rate: 50, concurrency: 8, requests: 100, durationMs: () => 5 });
    const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
  });

  it('keeps concurrency as a separate bound when requests are slow', async () => {
    const { starts, mostInFlight } = await drive({
      rate: 100,
      concurrency: 4,
      requests: 60,
      durationMs: () => 500,
    });
    expect(mostInFlight).toBe(4);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(100);
  });

  it('uses the allowed rate almost fully when nothing else holds it back', async () => {
    const { starts } = await drive({ rate: 50, concurrency: 8, requests: 500, durationMs: () => 40 });
    const span = starts.at(-1)! - starts[0]!;
    const achieved = (starts.length - 1) / (span / 1000);
    expect(achieved / 50).toBeGreaterThanOrEqual(1000 / (1000 + RATE_WINDOW_MARGIN_MS) - 0.01);
  });

  it('does not let late timers add up: a busy machine still gets the rate, and never more', async () => {
    const { starts } = await drive({
      rate: 50,
      concurrency: 8,
      requests: 500,
      durationMs: () => 40,
      timersLateMs: 4,
    });
    const span = starts.at(-1)! - starts[0]!;
    expect((starts.length - 1) / (span / 1000) / 50).toBeGreaterThanOrEqual(0.95);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(50);
  });

  it('reaches a rate faster than timers can wake, and never more', async () => {
    const { starts, mostInFlight } = await drive({
      rate: 5000,
      concurrency: 32,
      requests: 12_000,
      durationMs: () => 1,
      timersLateMs: 1,
    });
    const span = starts.at(-1)! - starts[0]!;
    expect((starts.length - 1) / (span / 1000) / 5000).toBeGreaterThanOrEqual(0.9);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(5000);
    expect(mostInFlight).toBeGreaterThan(1);
  });

  it('earns no burst from a pause', async () => {
    const clock = new FakeClock();
    const gate = createRequestGate({ rate: 10, concurrency: 10, clock });
    const starts: number[] = [];
    const wave = () => Array.from({ length: 5 }, () => gate.run(async () => void starts.push(clock.now())));
    const first = wave();
    await clock.runUntilIdle();
    await Promise.all(first);
    const pause = clock.sleep(5000);
    await clock.runUntilIdle();
    await pause;
    const second = wave();
    await clock.runUntilIdle();
    await Promise.all(second);
    const afterPause = starts.slice(5);
    const gaps = afterPause.slice(1).map((start, i) => start - afterPause[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('runs the preparation of a request before its start is stamped, not between the stamp and the request', async () => {
    const clock = new FakeClock();
    const gate = createRequestGate({ rate: 1, concurrency: 2, clock });
    const events: string[] = [];
    const runs = [1, 2].map((n) =>
      gate.run(
        async () => void events.push(`send ${n} at ${clock.now()}`),
        () => void events.push(`prepare ${n} at ${clock.now()}`),
      ),
    );
    await clock.runUntilIdle();
    await Promise.all(runs);
    expect(events).toEqual([
      'prepare 1 at 0',
      'prepare 2 at 0',
      'send 1 at 0',
      `send 2 at ${1000 + RATE_WINDOW_MARGIN_MS}`,
    ]);
  });

  it('passes results and errors through, and counts what it started', async () => {
    const clock = new FakeClock();
    const gate = createRequestGate({ rate: 5, concurrency: 2, clock });
    const ok = gate.run(async () => 'fine');
    const bad = gate
      .run(async () => {
        throw new Error('refused');
      })
      .catch((error: Error) => error.message);
    await clock.runUntilIdle();
    await expect(ok).resolves.toBe('fine');
    await expect(bad).resolves.toBe('refused');
    expect(gate.started).toBe(2);
    expect(gate.inFlight).toBe(0);
  });

  it('holds the window with the real clock too', async () => {
    const gate = createRequestGate({ rate: 40, concurrency: 8 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, () =>
        gate.run(async () => {
          starts.push(performance.now());
        }),
      ),
    );
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(40);
  });
});

describe('closing the request gate', () => {
  it('refuses every waiting and later request at once, spending no start slot, and lets started ones finish', async () => {
    const clock = new FakeClock();
    const gate = createRequestGate({ rate: 2, concurrency: 2, clock });
    const stopped = new Error('the run stopped');
    const sent: number[] = [];
    const settled: string[] = [];
    const runs = [1, 2, 3, 4].map((n) =>
      gate
        .run(async () => {
          sent.push(n);
          await clock.sleep(2_000);
          return `answered ${n} at ${clock.now()}`;
        })
        .then(
          (answer) => void settled.push(answer),
          (error: Error) => void settled.push(`refused ${n} at ${clock.now()}: ${error.message}`),
        ),
    );
    // At 100 ms: the first has started, the second waits for its start (500 ms), the others for a slot in flight.
    const closeAt = clock.sleep(100).then(() => gate.close(stopped));
    await clock.runUntilIdle();
    await Promise.all([closeAt, ...runs]);
    expect(sent).toEqual([1]);
    expect(settled.slice(0, 3).sort()).toEqual([
      'refused 2 at 100: the run stopped',
      'refused 3 at 100: the run stopped',
      'refused 4 at 100: the run stopped',
    ]);
    expect(settled[3]).toBe('answered 1 at 2000');
    await expect(gate.run(async () => 'late')).rejects.toBe(stopped);
    expect(gate.started).toBe(1);
    expect(gate.inFlight).toBe(0);
  });

  it('sends nothing when it is closed while a request prepares', async () => {
    const clock = new FakeClock();
    const gate = createRequestGate({ rate: 10, concurrency: 1, clock });
    const stopped = new Error('the state store refused the journal entry');
    let sent = false;
    const refusal = gate
      .run(
        async () => {
          sent = true;
        },
        () => gate.close(stopped),
      )
      .catch((error: unknown) => error);
    await clock.runUntilIdle();
    expect(await refusal).toBe(stopped);
    expect(sent).toBe(false);
    expect(gate.started).toBe(0);
  });
});
