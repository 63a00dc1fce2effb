import type { ApplyEvents } from './types.js';

/** Calls one listener, if there is one. */
export type Emit = <Name extends keyof ApplyEvents>(
  name: Name,
  ...args: Parameters<ApplyEvents[Name]>
) => void;

/**
 * An emitter over the caller's listeners. A listener that throws must not leave
 * an action without an outcome, so its error is rethrown on its own, outside the
 * run (it surfaces as an uncaught error instead of being swallowed).
 */
export function emitterFor(events: Partial<ApplyEvents> | undefined): Emit {
  return (name, ...args) => {
    const listener = events?.[name] as ((...values: unknown[]) => void) | undefined;
    if (listener === undefined) return;
    try {
      listener.apply(events, args);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  };
}
