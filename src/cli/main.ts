import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { EXIT, UsageError } from '../errors.js';
import { type CommandResult, exitCode } from '../run/exit-code.js';
import { type CliIO, type CommandDefinition, createContext, type GlobalArgs } from './command.js';
import { COMMANDS } from './commands.js';
import { printFailure } from './exit.js';

const GLOBAL_GROUP = 'Global options (flags > environment > --config file > defaults):';

/** Parses `argv`, runs the command, and returns its exit code; never exits the process itself. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const parser = yargs(argv)
    .scriptName('omnize-sync')
    .usage(
      "$0 <command> [options]\n\nKeep a partner's Omnize accounts, departments and agents in line with a manifest.",
    )
    .options({
      config: { type: 'string', describe: 'JSON config file (see config/)', group: GLOBAL_GROUP },
      'token-file': {
        type: 'string',
        describe: 'file holding the partner token [env OMNIZE_TOKEN_FILE; or OMNIZE_TOKEN]',
        group: GLOBAL_GROUP,
      },
      'base-url': {
        type: 'string',
        describe: 'Partner API base URL [env OMNIZE_BASE_URL] (default http://partner.omnize.com/api/v1)',
        group: GLOBAL_GROUP,
      },
      'auth-url': {
        type: 'string',
        describe: 'Url login authentication endpoint [env OMNIZE_AUTH_URL]',
        group: GLOBAL_GROUP,
      },
      'login-url': {
        type: 'string',
        describe: 'login page for login links [env OMNIZE_LOGIN_URL] (default https://login.omnize.com.br)',
        group: GLOBAL_GROUP,
      },
      state: {
        type: 'string',
        describe: 'state store SQLite file [env OMNIZE_STATE] (default ./omnize-sync.db)',
        group: GLOBAL_GROUP,
      },
      concurrency: {
        type: 'string',
        describe: 'requests in flight at most [env OMNIZE_CONCURRENCY] (default 8)',
        group: GLOBAL_GROUP,
      },
      rate: {
        type: 'string',
        describe: 'requests started per second at most [env OMNIZE_RATE] (default 10)',
        group: GLOBAL_GROUP,
      },
      retries: {
        type: 'string',
        describe: 'retries of a transient failure [env OMNIZE_RETRIES] (default 5)',
        group: GLOBAL_GROUP,
      },
      'timeout-ms': {
        type: 'string',
        describe: 'timeout of one request [env OMNIZE_TIMEOUT_MS] (default 30000)',
        group: GLOBAL_GROUP,
      },
      'report-dir': {
        type: 'string',
        describe: 'where run reports are written [env OMNIZE_REPORT_DIR] (default ./reports)',
        group: GLOBAL_GROUP,
      },
      'log-level': {
        type: 'string',
        describe: 'fatal|error|warn|info|debug|trace|silent [env OMNIZE_LOG_LEVEL] (default info)',
        group: GLOBAL_GROUP,
      },
      'log-format': {
        type: 'string',
        describe: 'json|pretty [env OMNIZE_LOG_FORMAT] (default pretty on a terminal, JSON otherwise)',
        group: GLOBAL_GROUP,
      },
    })
    .demandCommand(1, 'Name a command; `omnize-sync --help` lists them.')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  for (const definition of COMMANDS) {
    parser.command(
      toYargs(definition, io, (result) => {
        code = exitCode(result);
      }),
    );
  }
  try {
    await parser.parseAsync();
  } catch (error) {
    printFailure(error, io.stderr);
    code = exitCode(error instanceof Error ? error : new Error(String(error)));
  }
  return code;
}

function toYargs(
  definition: CommandDefinition<never>,
  io: CliIO,
  setResult: (result: CommandResult) => void,
) {
  return {
    command: definition.command,
    describe: definition.describe,
    builder: (y: ReturnType<typeof yargs>) => (definition.builder ? definition.builder(y) : y),
    handler: async (args: Record<string, unknown>) => {
      const context = createContext(args as never as GlobalArgs, io);
      setResult(await definition.run(context as never));
    },
  };
}

/** The process entry used by bin/omnize-sync.js. */
export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

// Run directly (`node dist/cli/main.js`, or tsx in development).
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main(process.argv.slice(2));
}
