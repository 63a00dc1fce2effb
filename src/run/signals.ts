import type { Logger } from '../log/logger.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** SIGINT/SIGTERM during a plan or an apply (CONTRACT §6): remembered, and passed to whatever is running then. */
export interface SignalWatch {
  /** The first signal received, if any. */
  readonly received: StopSignal | undefined;
  /** Calls `listener` on a signal, at once if one came already; the latest listener replaces the previous one. */
  forward(listener: (signal: StopSignal) => void): void;
  /** Treats a lost lock like SIGTERM: no new request may start. */
  raise(signal: StopSignal): void;
  dispose(): void;
}

export function watchSignals(logger: Logger): SignalWatch {
  let received: StopSignal | undefined;
  let listener: ((signal: StopSignal) => void) | undefined;
  const raise = (signal: StopSignal) => {
    received ??= signal;
    logger.warn({ signal }, 'stopping: no new request starts; requests in flight may finish');
    listener?.(signal);
  };
  const onSigint = () => raise('SIGINT');
  const onSigterm = () => raise('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    get received() {
      return received;
    },
    forward(next) {
      listener = next;
      if (received !== undefined) next(received);
    },
    raise,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
