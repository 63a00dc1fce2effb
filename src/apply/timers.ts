import type { Clock } from '../limits/request-gate.js';

/** A wait that can be ended early. */
export interface Timer {
  /** Resolves when the time is up or the timer is cancelled, whichever comes first. */
  readonly elapsed: Promise<void>;
  cancel(): void;
}

/**
 * Starts a wait of `ms` on `clock`, or on a real timer when there is no clock.
 * A cancelled real timer is cleared, so a stopped run leaves no pending timer
 * holding the process open; a cancelled clock wait just stops being awaited.
 */
export function startTimer(ms: number, clock: Clock | undefined): Timer {
  let finish: () => void = () => undefined;
  const cancelled = new Promise<void>((resolve) => {
    finish = resolve;
  });
  if (clock === undefined) {
    const handle = setTimeout(finish, Math.max(0, ms));
    return {
      elapsed: cancelled,
      cancel: () => {
        clearTimeout(handle);
        finish();
      },
    };
  }
  return { elapsed: Promise.race([clock.sleep(ms), cancelled]), cancel: finish };
}

/** The clock's reading, or the process's monotonic time when there is no clock. */
export function nowOf(clock: Clock | undefined): number {
  return clock === undefined ? performance.now() : clock.now();
}
