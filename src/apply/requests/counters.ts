import type { ApplyEvents } from '../types.js';

/**
 * The one count of what a run sent, for summary.json, the progress line and apply's result:
 * made from the run's events, so each request is counted once, where it leaves (the counting
 * layer), and each retry where it is scheduled (the retry layer).
 */
export class RequestCounters {
  reads = 0;
  writes = 0;
  /** Tries that were followed by another one. */
  retries = 0;
  /** Start times (ms since the epoch) of each request, for the requests-per-second chart. */
  readonly startedAt: number[] = [];

  /** What the counters listen to. */
  readonly listeners: Pick<ApplyEvents, 'requestStarted' | 'retryScheduled'> = {
    requestStarted: (request) => {
      if (request.kind === 'write') this.writes += 1;
      else this.reads += 1;
      this.startedAt.push(Date.now());
    },
    retryScheduled: () => {
      this.retries += 1;
    },
  };

  /** Every request sent, reads and writes. */
  get requests(): number {
    return this.reads + this.writes;
  }
}
