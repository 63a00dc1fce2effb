import { countStatuses } from '../apply/outcome-table.js';
import { EXIT, Interrupted, SafetyStop } from '../errors.js';
import type { RunRecord } from './record.js';

/**
 * What a command finished with, for `exitCode`. The pipeline's commands give their RunRecord;
 * `validate` and `login-links` say how many things went wrong; the others succeed or throw.
 */
export type CommandResult =
  | RunRecord
  | { command: 'validate'; errors: number }
  | { command: 'login-links'; agentsWithoutLink: number }
  | ExportResult
  | { command: 'done' };

/** What `export` wrote; it succeeds once its files are written, also when they do not read back exactly (it warns). */
export interface ExportResult {
  command: 'export';
  accounts: number;
  departments: number;
  agents: number;
  /** Whether the files read back with 0 errors and plan to no change (CONTRACT §11). */
  exact: boolean;
}

/** The result every command that succeeds without anything to count returns. */
export const DONE: CommandResult = { command: 'done' };

/**
 * The one place a command's result or error becomes its exit code (CONTRACT §10). Pure: the
 * message for the user is printed elsewhere (`describeFailure`).
 */
export function exitCode(outcome: CommandResult | Error): number {
  if (outcome instanceof Error) return exitCodeOfError(outcome);
  switch (outcome.command) {
    case 'validate':
      return outcome.errors > 0 ? EXIT.failure : EXIT.ok;
    case 'login-links':
      return outcome.agentsWithoutLink > 0 ? EXIT.someActionsFailed : EXIT.ok;
    case 'export':
    case 'done':
      return EXIT.ok;
    default:
      return exitCodeOfRun(outcome);
  }
}

/** A SafetyStop is exit 4, an interruption 130/143; every other error — usage, manifest, fatal API, a held lock, a bug — is exit 1. */
function exitCodeOfError(error: Error): number {
  if (error instanceof Interrupted) return signalExit(error.signal);
  return error instanceof SafetyStop ? EXIT.safetyStop : EXIT.failure;
}

function exitCodeOfRun(record: RunRecord): number {
  const { ending } = record;
  switch (ending.kind) {
    case 'guard':
    case 'stale-plan':
      return EXIT.safetyStop;
    case 'declined':
      return EXIT.failure;
    case 'interrupted':
      return signalExit(ending.signal);
    case 'planned':
      return record.detailedExitcode && record.plan.actions.length > 0 ? EXIT.planHasChanges : EXIT.ok;
    case 'applied':
      return exitCodeOfApply(record);
  }
}

/** CONTRACT §10: 0 all applied; 3 some failed or unknown (or the circuit breaker); 1 invalid token or a state store failure; 130/143 signals. */
function exitCodeOfApply(record: RunRecord): number {
  const result = record.applied;
  if (result === undefined) return EXIT.ok;
  switch (result.stoppedBy) {
    case 'SIGINT':
    case 'SIGTERM':
      return signalExit(result.stoppedBy);
    case 'invalid-token':
    case 'state-store':
      return EXIT.failure;
    case 'circuit-breaker':
      return EXIT.someActionsFailed;
    default:
      break;
  }
  const { failed, unknown } = countStatuses(result.outcomes);
  return failed + unknown > 0 ? EXIT.someActionsFailed : EXIT.ok;
}

function signalExit(signal: 'SIGINT' | 'SIGTERM'): number {
  return signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}
