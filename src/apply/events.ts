import type { ApplyEvents } from './types.js';

/** Calls the listeners of one event. */
export type Emit = <Name extends keyof ApplyEvents>(
  name: Name,
  ...args: Parameters<ApplyEvents[Name]>
) => void;

/**
 * The events of one run (ARCHITECTURE rule 8), heard by whoever listens: the run's request
 * counters from the start, the CLI's progress line while apply runs. A listener that throws must
 * not leave an action without an outcome, so its error is rethrown on its own, outside the run
 * (it surfaces as an uncaught error instead of being swallowed).
 */
export class RunEvents {
  private listeners: Partial<ApplyEvents>[] = [];

  readonly emit: Emit = (name, ...args) => {
    for (const listeners of this.listeners) {
      const listener = listeners[name] as ((...values: unknown[]) => void) | undefined;
      if (listener === undefined) continue;
      try {
        listener.apply(listeners, args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  /** Adds listeners; the function returned removes them. */
  listen(listeners: Partial<ApplyEvents>): () => void {
    this.listeners = [...this.listeners, listeners];
    return () => {
      this.listeners = this.listeners.filter((kept) => kept !== listeners);
    };
  }
}
