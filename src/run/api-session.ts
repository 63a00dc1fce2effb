import {
  type ApplyStateStore,
  createRunContext,
  partnerApiRetryPolicy,
  type RunContext,
  type RunLease,
} from '../apply/index.js';
import type { Config } from '../config/config.js';
import { requireToken } from '../config/config.js';
import { AUTO_RATE_START, AutoRateController, type RateSummary } from '../limits/auto-rate.js';
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
  /** The rate limit kept to so far: `--rate N`, or where `--rate auto` started and what it learned. */
  rate(): RateSummary;
  /** The rate in force now, requests per second (the progress line). */
  rateInForce(): number;
};

/** What opening a session needs besides the config. */
export interface SessionOptions {
  /** Where apply journals and records its writes. */
  state?: { store: ApplyStateStore; runId: string };
  /** The run lock's lease (plan and apply): once it is lost, no request starts. */
  lease?: RunLease;
  /** `--rate auto`: the rate the state store learned for this base URL, when it has one. */
  learnedRate?: number;
}

/**
 * Opens the session. `state` is where apply journals and records its writes; a command that
 * writes nothing to the API (plan, login-links) opens none, and a write would be refused.
 * (The transport is node:http, loaded with the client: no first-request load of fetch's
 * client to warm up before the gate stamps the first start.)
 */
export async function openApiSession(
  config: Config,
  logger: Logger,
  { state, lease, learnedRate }: SessionOptions = {},
): Promise<ApiSession> {
  const client = new OmnizeClient({
    baseUrl: config.baseUrl,
    authUrl: config.authUrl,
    token: requireToken(config),
    timeoutMs: config.timeoutMs,
    logger,
  });
  const { rate } = config;
  const auto =
    rate === 'auto'
      ? new AutoRateController({
          start: learnedRate ?? AUTO_RATE_START,
          max: config.maxRate,
          learned: learnedRate !== undefined,
        })
      : undefined;
  const gate = createRequestGate({ concurrency: config.concurrency, rate: auto ?? (rate as number) });
  const context = createRunContext({
    client,
    gate,
    retryPolicy: partnerApiRetryPolicy(config.retries),
    state,
    lease,
    ...(auto === undefined ? {} : { throttle: auto, rateInForce: () => auto.rate() }),
  });
  context.events.listen({
    retryScheduled: (request, attempt, error, delayMs) =>
      logger.debug({ kind: request.kind, attempt, delayMs, error: error.message }, 'retrying a request'),
  });
  return {
    ...context,
    run: context.read,
    rate: () => (auto === undefined ? { mode: 'fixed', rate: rate as number } : auto.report()),
    rateInForce: () => gate.rate,
  };
}
