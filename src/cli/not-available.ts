import { NotAvailableError } from '../errors.js';
import { type CommandDefinition, defineCommand } from './command.js';

/** A command of CONTRACT §2 that this build does not provide yet: listed in --help, exits 1 when run. */
export function notAvailable(command: string, describe: string): CommandDefinition {
  return defineCommand({
    command,
    describe,
    async run() {
      throw new NotAvailableError(command.split(' ')[0] ?? command);
    },
  });
}
