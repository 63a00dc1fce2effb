import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Pushgateway, type Registry } from 'prom-client';
import type { Logger } from '../log/logger.js';
import { redactString } from '../log/redact.js';
import type { RunEntry, StateBackend } from '../state/index.js';
import { latestPerCommand, metricsRegistry } from './metrics.js';
import { decideNotification, type NotificationMessage } from './notify.js';

/**
 * What a finished run tells the outside (CONTRACT §13): the metrics file, the Pushgateway and
 * the notification. Each that fails logs a warning and nothing more: none changes the exit code.
 */

/** The Pushgateway's job name: `URL/metrics/job/omnize_sync`. */
export const PUSH_JOB = 'omnize_sync';
/** Each HTTP request to the Pushgateway or the notify URL gives up after this long. */
export const PUBLISH_TIMEOUT_MS = 10_000;
/** A notification is tried again this many times after its first attempt fails. */
export const NOTIFY_RETRIES = 2;
/** Before each retry: this many ms, doubled each time. */
export const NOTIFY_RETRY_DELAY_MS = 1_000;

export interface PublishSettings {
  cwd: string;
  metricsFile?: string | undefined;
  pushgatewayUrl?: string | undefined;
  notifyUrl?: string | undefined;
}

/** Writes the metrics, pushes them and notifies, as the settings ask; `store` undefined: no history could be read. */
export async function publishRun(
  store: StateBackend | undefined,
  current: RunEntry,
  settings: PublishSettings,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<void> {
  const { metricsFile, pushgatewayUrl, notifyUrl } = settings;
  if (metricsFile === undefined && pushgatewayUrl === undefined && notifyUrl === undefined) return;
  const history = await readHistory(store, current, logger);
  if (metricsFile !== undefined || pushgatewayUrl !== undefined) {
    const registry = metricsRegistry(latestPerCommand(history));
    if (metricsFile !== undefined)
      await warnOnFailure(logger, 'metrics file', () =>
        writeMetricsFile(resolve(settings.cwd, metricsFile), registry),
      );
    if (pushgatewayUrl !== undefined)
      await warnOnFailure(logger, 'Pushgateway push', () => pushMetrics(pushgatewayUrl, registry));
  }
  if (notifyUrl !== undefined) {
    const previous = history.filter(
      (run) => run.command === current.command && run.runId !== current.runId && run.status !== 'running',
    );
    const decided = decideNotification(previous, current, now());
    if (decided === undefined) return;
    const sent = await warnOnFailure(logger, 'notification', () =>
      sendNotification(notifyUrl, decided.message),
    );
    if (sent) {
      logger.info({ reason: decided.reason }, 'notification sent');
      await store?.recordRunNotified(current.runId, now());
    }
  }
}

/** The history with this run in it; without a store, this run alone. */
async function readHistory(
  store: StateBackend | undefined,
  current: RunEntry,
  logger: Logger,
): Promise<RunEntry[]> {
  if (store === undefined) return [current];
  try {
    return await store.runs();
  } catch (error) {
    logger.warn(
      { err: error },
      'the run history could not be read; metrics and notification use this run only',
    );
    return [current];
  }
}

/** Runs `work`; a failure is a warning naming what failed (never the URL, which may be a secret). */
async function warnOnFailure(
  logger: Logger,
  what: string,
  work: () => Promise<void> | void,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (error) {
    logger.warn(`${what} failed: ${redactString(reasonOf(error))}; the exit code is not affected`);
    return false;
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return detail === undefined ? error.message : `${error.message} (${detail})`;
}

/**
 * Writes the metrics to a temporary file in the file's own folder and renames it over the file:
 * node_exporter's textfile collector reads only whole files, and a rename within one folder is atomic.
 */
export async function writeMetricsFile(path: string, registry: Registry): Promise<void> {
  const text = await registry.metrics();
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** PUT: the group `job=omnize_sync` is replaced whole by this run's metrics. */
export async function pushMetrics(
  url: string,
  registry: Registry,
  timeoutMs = PUBLISH_TIMEOUT_MS,
): Promise<void> {
  const gateway = new Pushgateway(url.replace(/\/+$/, ''), { timeout: timeoutMs }, registry);
  await gateway.push({ jobName: PUSH_JOB });
}

export interface SendOptions {
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
}

/** POSTs the message as JSON; a non-2xx answer or no answer within the timeout is retried, then thrown. */
export async function sendNotification(
  url: string,
  message: NotificationMessage,
  options: SendOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? PUBLISH_TIMEOUT_MS;
  const retries = options.retries ?? NOTIFY_RETRIES;
  const delayMs = options.retryDelayMs ?? NOTIFY_RETRY_DELAY_MS;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    if (attempt > 0) await new Promise((done) => setTimeout(done, delayMs * 2 ** (attempt - 1)));
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await answer.arrayBuffer().catch(() => undefined);
      if (answer.ok) return;
      lastError = new Error(`HTTP ${answer.status}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error
    ? new Error(`no answer after ${retries + 1} attempts: ${reasonOf(lastError)}`)
    : new Error(String(lastError));
}
