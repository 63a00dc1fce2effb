import { defineCommand, lazyRun } from './command.js';

/** The sub-commands of `omnize-sync state` (CONTRACT §2). */
export const STATE_ACTIONS = ['list', 'show', 'adopt', 'forget', 'migrate'] as const;
type StateAction = (typeof STATE_ACTIONS)[number];

export interface StateArgs {
  action: StateAction;
  key?: string;
  id?: string;
  json?: boolean;
  from?: string;
  to?: string;
}

/**
 * `omnize-sync state list | show KEY | adopt KEY ID | adopt --from FILE | forget KEY`: inspect and
 * repair the state store; `state migrate --to postgres://…` copies it into PostgreSQL (CONTRACT §16).
 */
export const stateCommand = defineCommand<StateArgs>({
  command: 'state <action> [key] [id]',
  describe:
    'inspect and repair the state store: list | show KEY | adopt KEY ID | adopt --from FILE.csv | forget KEY | migrate --to postgres://…',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: STATE_ACTIONS, describe: 'what to do' })
      // Strings: keys such as "007" must not become numbers.
      .positional('key', { type: 'string', describe: "the account's key in the manifest" })
      .positional('id', { type: 'string', describe: 'the Omnize account ID to adopt' })
      .option('json', { type: 'boolean', describe: 'print JSON instead of text (list, show)' })
      .option('from', {
        type: 'string',
        describe:
          'adopt: a CSV file with a header row key,account_id ("," or ";"): every row adopted in one transaction, or none',
      })
      .option('to', {
        type: 'string',
        describe:
          'migrate: the empty PostgreSQL database (postgres://USER@HOST:PORT/DB) the SQLite store is copied into, in one transaction, verified',
      }),
  run: lazyRun(async () => (await import('./state-run.js')).runState),
});
