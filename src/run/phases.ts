import type { Logger } from '../log/logger.js';

/** Ends the phase running now: logs its name and how long it took, and starts the next one. */
export type EndPhase = (phase: string) => void;

/**
 * Times a run's phases at debug level, one line each (`{phase, ms}`), to show where the time
 * outside the requests goes (issue 10: the newman ratio). The first line, `start`, is the time
 * from process start to the timer's creation: loading the modules, parsing flags and config.
 */
export function phaseTimer(logger: Logger): EndPhase {
  logger.debug({ phase: 'start', ms: Math.round(process.uptime() * 1000) }, 'phase');
  let phaseStartedAt = performance.now();
  return (phase) => {
    const now = performance.now();
    logger.debug({ phase, ms: Math.round(now - phaseStartedAt) }, 'phase');
    phaseStartedAt = now;
  };
}
