import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';
import { redactSecrets, redactString } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Undefined: pretty when the destination is a terminal, JSON otherwise. */
  format?: 'json' | 'pretty';
  /** Where lines go; defaults to standard error so standard output stays for the command's own output. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
}

/**
 * The program's logger. Every object logged passes through `redactSecrets`
 * and every message through `redactString`, so a secret cannot reach the
 * output whatever shape it is logged in (pino's own `redact` paths cover one
 * level of wildcards only).
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const pretty = options.format === 'pretty' || (options.format === undefined && destination.isTTY === true);
  const settings: pino.LoggerOptions = {
    level: options.level,
    base: undefined,
    serializers: { err: (error: unknown) => redactSecrets(error) },
    formatters: {
      log: (object) => redactSecrets(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  if (pretty) {
    // pino-pretty writes synchronously here (no worker thread), so lines are not lost when the process exits.
    return pino(settings, prettyStream(destination));
  }
  return pino(settings, destination);
}

function prettyStream(destination: NodeJS.WritableStream): NodeJS.WritableStream {
  // Loaded only for a terminal: it is the heaviest part of logging, and cron, containers and tests log JSON.
  const pinoPretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pinoPretty({
    destination,
    colorize: (destination as { isTTY?: boolean }).isTTY === true,
    sync: true,
  });
}

/**
 * A logger that drops everything, for library code called without one; on a stream of its own, as
 * without one pino opens an asynchronous writer on standard output as the program loads.
 */
export const silentLogger: Logger = pino({ level: 'silent' }, { write: () => {} });
