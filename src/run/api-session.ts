import {
  type ApplyStateStore,
  createRunContext,
  partnerApiRetryPolicy,
  type RunContext,
} from '../apply/index.js';
import type { Config } from '../config/config.js';
import { requireToken } from '../config/config.js';
import { createRequestGate } from '../limits/request-gate.js';
import type { RequestRunner } from '../live/read-observed.js';
import type { Logger } from '../log/logger.js';
import { OmnizeClient } from '../omnize/index.js';

/**
 * What a command needs to talk to the Partner API: the run's context, whose request pipeline
 * every request of the run passes (live reads, look-ups, writes, login links, each retry), and
 * its one count of requests (`counters`) for summary.json.
 */
export type ApiSession = RunContext<OmnizeClient> & {
  /** A read no action owns, through the pipeline: what live reading and login links use. */
  run: RequestRunner;
};

/**
 * Opens the session. `state` is where apply journals and records its writes; a command that
 * writes nothing to the API (plan, login-links) opens none, and a write would be refused.
 *
 * The HTTP client is loaded first: Node 20 loads it on the first fetch call, which takes
 * 50–150 ms on a busy machine and happens after the request gate has stamped that request's
 * start. The first request would then reach the server late, close behind the second, and the
 * server would count more than --rate in its first second. A fetch of a `data:` URL loads the
 * client and sends nothing.
 */
export async function openApiSession(
  config: Config,
  logger: Logger,
  state?: { store: ApplyStateStore; runId: string },
): Promise<ApiSession> {
  await (await fetch('data:,')).arrayBuffer();
  const client = new OmnizeClient({
    baseUrl: config.baseUrl,
    authUrl: config.authUrl,
    token: requireToken(config),
    timeoutMs: config.timeoutMs,
    logger,
  });
  const context = createRunContext({
    client,
    gate: createRequestGate({ concurrency: config.concurrency, rate: config.rate }),
    retryPolicy: partnerApiRetryPolicy(config.retries),
    state,
  });
  context.events.listen({
    retryScheduled: (request, attempt, error, delayMs) =>
      logger.debug({ kind: request.kind, attempt, delayMs, error: error.message }, 'retrying a request'),
  });
  return { ...context, run: context.read };
}
