import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Options } from 'yargs';
import { helpText, SETTING_KEYS, SETTINGS } from '../config/settings.js';
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
    // Every message is English; yargs' own would otherwise follow LANG (Portuguese on a Brazilian
    // machine) in the middle of ours.
    .locale('en')
    .usage(
      "$0 <command> [options]\n\nKeep a partner's Omnize accounts, departments and agents in line with a manifest.",
    )
    .options(globalOptions())
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
  skipHelpRendering(parser);
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

/**
 * yargs renders the whole help text as each command starts, to print it should the command fail
 * later; a failure here prints its own one-line error, never the help, and the rendering cost every
 * run 30–40 ms of startup. `--help` renders it when asked. Reaches into yargs' internals, and
 * leaves them alone if a later yargs has none.
 */
function skipHelpRendering(parser: object): void {
  const internals = (parser as { getInternalMethods?: () => { getUsageInstance?: () => unknown } })
    .getInternalMethods?.()
    .getUsageInstance?.() as { cacheHelpMessage?: () => void } | undefined;
  if (typeof internals?.cacheHelpMessage === 'function') internals.cacheHelpMessage = () => {};
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

/** --config and one option per setting, all as text: yargs would turn `--rate abc` into NaN unseen; src/config checks. */
function globalOptions(): Record<string, Options> {
  const options: Record<string, Options> = {
    config: { type: 'string', describe: 'JSON config file (see config/)', group: GLOBAL_GROUP },
  };
  for (const key of SETTING_KEYS) {
    options[SETTINGS[key].flag] = { type: 'string', describe: helpText(key), group: GLOBAL_GROUP };
  }
  return options;
}

/** The process entry used by bin/omnize-sync.js. */
export async function main(argv: string[]): Promise<void> {
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    // Made on first use: process.stdin builds its stream when first read (~1 ms of a start), and
    // only an apply asking for confirmation reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

// Run directly (`node dist/cli/main.js`, or tsx in development).
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main(process.argv.slice(2));
}
