import {
  FatalApiError,
  InternalError,
  Interrupted,
  LockHeldError,
  ManifestError,
  SafetyStop,
  UsageError,
} from '../errors.js';
import { redactString } from '../log/redact.js';

/**
 * The one line on stderr for an error a command threw (its exit code is `exitCode`'s, in
 * src/run/exit-code.ts). An error a user can cause is one line; only an error nobody foresaw
 * carries its stack, for the bug report.
 */
export function printFailure(error: unknown, stderr: NodeJS.WritableStream): void {
  if (error instanceof SafetyStop) {
    stderr.write(`omnize-sync: stopped: ${redactString(error.message)}\n`);
    return;
  }
  if (
    error instanceof UsageError ||
    error instanceof ManifestError ||
    error instanceof FatalApiError ||
    error instanceof LockHeldError ||
    error instanceof Interrupted
  ) {
    stderr.write(`omnize-sync: ${redactString(error.message)}\n`);
    return;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const label =
    error instanceof InternalError ? 'internal error (this is a bug in omnize-sync)' : 'unexpected error';
  stderr.write(`omnize-sync: ${label}: ${redactString(detail)}\n`);
}
