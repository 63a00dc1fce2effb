import {
  EXIT,
  FatalApiError,
  InternalError,
  LockHeldError,
  ManifestError,
  SafetyStop,
  UsageError,
} from '../errors.js';
import { redactString } from '../log/redact.js';

/** The one place an error becomes an exit code and a line on stderr (CONTRACT §10). */
export function exitCodeFor(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof SafetyStop) {
    stderr.write(`omnize-sync: stopped: ${redactString(error.message)}\n`);
    return EXIT.safetyStop;
  }
  if (
    error instanceof UsageError ||
    error instanceof ManifestError ||
    error instanceof FatalApiError ||
    error instanceof LockHeldError
  ) {
    stderr.write(`omnize-sync: ${redactString(error.message)}\n`);
    return EXIT.failure;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const label =
    error instanceof InternalError ? 'internal error (this is a bug in omnize-sync)' : 'unexpected error';
  stderr.write(`omnize-sync: ${label}: ${redactString(detail)}\n`);
  return EXIT.failure;
}
