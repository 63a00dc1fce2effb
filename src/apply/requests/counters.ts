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
  /**
   * Requests started in each second since the counters were made (the run's start), for the
   * requests-per-second chart: a count per second, not a time per request, so 100,000 requests
   * cost a few hundred numbers.
   */
  readonly perSecond: { since: number; counts: number[]; rateInForce?: number[] } = {
    since: Date.now(),
    counts: [],
  };

  /**
   * @param rateInForce under `--rate auto`, the gate's rate: the lowest rate in force at a start
   * within each second is kept next to its count, for the chart's line.
   */
  constructor(private readonly rateInForce?: () => number) {
    if (rateInForce !== undefined) this.perSecond.rateInForce = [];
  }

  /** What the counters listen to. */
  readonly listeners: Pick<ApplyEvents, 'requestStarted' | 'retryScheduled'> = {
    requestStarted: (request) => {
      if (request.kind === 'write') this.writes += 1;
      else this.reads += 1;
      const { since, counts } = this.perSecond;
      const second = Math.max(0, Math.floor((Date.now() - since) / 1000));
      while (counts.length <= second) counts.push(0);
      counts[second] = (counts[second] ?? 0) + 1;
      const rates = this.perSecond.rateInForce;
      if (rates !== undefined && this.rateInForce !== undefined) {
        const rate = Math.round(this.rateInForce() * 10) / 10;
        while (rates.length < second) rates.push(rates.at(-1) ?? rate);
        rates[second] = Math.min(rates[second] ?? rate, rate);
      }
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
