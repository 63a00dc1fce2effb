import { defineCommand, lazyRun } from './command.js';

/** The arguments of `history`. */
export interface HistoryArgs {
  /** Text as typed: yargs would turn `--last abc` into NaN unseen. */
  last?: string;
  json?: boolean;
}

/**
 * `omnize-sync history [--last N] [--json]` (CONTRACT §13): the plan and apply runs this state
 * store has seen, newest first. Reads the state store only: no token, no request.
 */
export const historyCommand = defineCommand<HistoryArgs>({
  command: 'history',
  describe: 'list the plan/apply runs of this state store, newest first; runs that died show as died; no API',
  builder: (yargs) =>
    yargs
      .option('last', { type: 'string', describe: 'only the N newest runs' })
      .option('json', { type: 'boolean', default: false, describe: 'print the runs as JSON' }),
  run: lazyRun(async () => (await import('./history-run.js')).runHistory),
});
