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
 * (The transport is node:http, loaded with the client: no first-request load of fetch's
 * client to warm up before the gate stamps the first start.)
 */
export async function openApiSession(
  config: Config,
  logger: Logger,
  state?: { store: ApplyStateStore; runId: string },
): Promise<ApiSession> {
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
