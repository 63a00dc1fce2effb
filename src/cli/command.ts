import type { Argv } from 'yargs';
import { type Config, resolveConfig } from '../config/config.js';
import { SETTING_KEYS, type SettingFlags } from '../config/settings.js';
import { createLogger, type Logger } from '../log/logger.js';
import { registerSecret } from '../log/redact.js';
import type { CommandResult } from '../run/exit-code.js';

/** Where a command writes and what it runs in; tests give their own streams and environment. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * The global options of CONTRACT §8 as yargs parsed them: one per setting of
 * src/config/settings.ts, as text and without defaults (src/config checks them
 * and adds the defaults), and the config file that may set them.
 */
export interface GlobalArgs extends SettingFlags {
  config?: string;
}

/** What a command handler gets: its parsed arguments, the streams, and lazily built config and logger. */
export interface CommandContext<A> {
  args: A & GlobalArgs;
  io: CliIO;
  /** Resolves flags > env > config file > defaults; throws UsageError on a bad value. */
  config(): Config;
  /** A logger honouring --log-level/--log-format, writing to stderr. */
  logger(): Logger;
}

/**
 * One command of the CLI. `run` returns what the command finished with; that result, or the
 * error it throws, becomes the exit code in one place (`exitCode`, src/run/exit-code.ts).
 */
export interface CommandDefinition<A = Record<string, unknown>> {
  command: string;
  describe: string;
  builder?: (yargs: Argv) => Argv;
  run(context: CommandContext<A>): Promise<CommandResult>;
}

export function defineCommand<A>(definition: CommandDefinition<A>): CommandDefinition<A> {
  return definition;
}

/**
 * A command's `run` that loads its implementation only when the command runs, so `--help` and
 * the other commands do not pay for loading what they never use (the SQLite driver, the XLSX
 * reader, the HTTP client…).
 */
export function lazyRun<A>(
  load: () => Promise<(context: CommandContext<A>) => Promise<CommandResult>>,
): (context: CommandContext<A>) => Promise<CommandResult> {
  return async (context) => (await load())(context);
}

export function createContext<A>(args: A & GlobalArgs, io: CliIO): CommandContext<A> {
  let config: Config | undefined;
  let logger: Logger | undefined;
  const context: CommandContext<A> = {
    args,
    io,
    config() {
      if (config === undefined) {
        config = resolveConfig({ flags: flagSettings(args), configFile: args.config, env: io.env });
        registerSecret(config.token);
        // A webhook URL carries its own credential (Slack's path is the secret).
        registerSecret(config.notifyUrl);
      }
      return config;
    },
    logger() {
      if (logger === undefined) {
        const { logLevel, logFormat } = context.config();
        logger = createLogger({ level: logLevel, format: logFormat, destination: io.stderr });
      }
      return logger;
    },
  };
  return context;
}

/** Only the flags the user typed: a flag left out must not hide the environment or the config file. */
function flagSettings(args: GlobalArgs): SettingFlags {
  const flags: SettingFlags = {};
  for (const key of SETTING_KEYS) {
    const value = args[key];
    if (value !== undefined) flags[key] = value;
  }
  return flags;
}
