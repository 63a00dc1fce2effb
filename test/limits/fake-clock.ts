import type { Clock } from '../../src/limits/request-gate.js';

/**
 * Virtual time for limiter tests: `sleep` parks the caller until `advance` moves time past its
 * deadline, so a test of thousands of requests runs in milliseconds and the same way every time.
 */
export class FakeClock implements Clock {
  private current = 0;

  /** @param lateMs how late every sleep wakes, as timers do on a busy machine. */
  constructor(private readonly lateMs = 0) {}
  private sleepers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ at: this.current + Math.max(0, ms) + this.lateMs, wake });
    });
  }

  /** Runs until nothing is left to wake: settles pending promises, then jumps to the next deadline. */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      await settle();
      if (this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift()!;
      this.current = Math.max(this.current, next.at);
      next.wake();
    }
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}
