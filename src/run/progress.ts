import type { Logger } from '../log/logger.js';

/** How often the progress is shown: the terminal line is redrawn, the JSON line written (CONTRACT §6: "every few seconds"). */
export const TERMINAL_REFRESH_MS = 500;
export const LOG_LINE_INTERVAL_MS = 5_000;

/** How far a run is, from the executor's events. */
export interface ProgressCounts {
  done: number;
  total: number;
  failed: number;
  requests: number;
  /** Under `--rate auto`, the rate in force now (requests per second). */
  rateInForce?: number;
}

/**
 * The live progress of an apply (or an export): a line redrawn on a terminal (done/total,
 * requests/s, under `--rate auto` the rate in force, ETA), or a JSON log line every few seconds
 * otherwise, for cron and container logs. `noun` names what is counted on the terminal line:
 * `actions` unless told.
 */
export function startProgress(
  counts: () => ProgressCounts,
  output: { stderr: NodeJS.WritableStream & { isTTY?: boolean }; logger: Logger; noun?: string },
): { stop(): void } {
  const noun = output.noun ?? 'actions';
  const startedAt = Date.now();
  // Reading the live state came before: the rate shown is the apply's own.
  const requestsBefore = counts().requests;
  const onTerminal = output.stderr.isTTY === true;
  const describe = () => {
    const { done, total, failed, requests, rateInForce } = counts();
    const elapsedSeconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const requestsPerSecond = (requests - requestsBefore) / elapsedSeconds;
    const etaSeconds = done === 0 ? undefined : Math.round(((total - done) * elapsedSeconds) / done);
    return {
      done,
      total,
      failed,
      requests,
      requestsPerSecond: Math.round(requestsPerSecond * 10) / 10,
      etaSeconds,
      ...(rateInForce === undefined ? {} : { rateInForce: Math.round(rateInForce * 10) / 10 }),
    };
  };
  const draw = () => {
    const progress = describe();
    if (onTerminal) {
      const eta = progress.etaSeconds === undefined ? '…' : `${progress.etaSeconds}s`;
      const limit = progress.rateInForce === undefined ? '' : ` (auto limit ${progress.rateInForce}/s)`;
      output.stderr.write(
        `\r\u001b[2K${progress.done}/${progress.total} ${noun}, ${progress.failed} failed, ${progress.requestsPerSecond} req/s${limit}, ETA ${eta}`,
      );
    } else {
      output.logger.info(progress, 'progress');
    }
  };
  const timer = setInterval(draw, onTerminal ? TERMINAL_REFRESH_MS : LOG_LINE_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      draw();
      if (onTerminal) output.stderr.write('\n');
    },
  };
}
