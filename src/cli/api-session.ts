import { partnerApiRetryPolicy } from '../apply/index.js';
import type { Config } from '../config/config.js';
import { requireToken } from '../config/config.js';
import { createRequestGate, type RequestGate } from '../limits/request-gate.js';
import { type RetryPolicy, withRetry } from '../limits/retry.js';
import type { RequestRunner } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import { OmnizeClient } from '../omnize/index.js';

/** Counts of what went over the wire in one run, for summary.json. */
export interface RequestCounters {
  requests: number;
  retries: number;
  /** Start times (ms since the epoch) of each request, for the requests-per-second chart. */
  startedAt: number[];
}

/**
 * What a command needs to talk to the Partner API: the client, the one request gate every
 * request of the run goes through (reads, writes, lookups, retries), and the retry policy.
 */
export interface ApiSession {
  client: OmnizeClient;
  gate: RequestGate;
  retryPolicy: RetryPolicy;
  counters: RequestCounters;
  /** One request under the limits and the retry policy: what live reading and lookups use. */
  run: RequestRunner;
}

/**
 * Opens the session, with the HTTP client loaded: Node 20 loads it on the first fetch call,
 * which takes 50–150 ms on a busy machine and happens after the request gate has stamped that
 * request's start. The first request would then reach the server late, close behind the
 * second, and the server would count more than --rate in its first second. A fetch of a
 * `data:` URL loads the client and sends nothing.
 */
export async function openApiSession(config: Config, logger: Logger): Promise<ApiSession> {
  await (await fetch('data:,')).arrayBuffer();
  const counters: RequestCounters = { requests: 0, retries: 0, startedAt: [] };
  const client = new OmnizeClient({
    baseUrl: config.baseUrl,
    authUrl: config.authUrl,
    token: requireToken(config),
    timeoutMs: config.timeoutMs,
    logger,
    onRequest: (record) => {
      counters.requests += 1;
      counters.startedAt.push(Date.now() - record.durationMs);
    },
  });
  const gate = createRequestGate({ concurrency: config.concurrency, rate: config.rate });
  const retryPolicy = partnerApiRetryPolicy(config.retries);
  const run: RequestRunner = async (request) => {
    const { value } = await withRetry(() => gate.run(request), retryPolicy, {
      onRetry: (attempt, error, delayMs) => {
        counters.retries += 1;
        logger.debug({ attempt, delayMs, error: (error as Error).message }, 'retrying a read');
      },
    });
    return value;
  };
  return { client, gate, retryPolicy, counters, run };
}
