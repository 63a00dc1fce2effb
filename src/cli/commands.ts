import type { CommandDefinition } from './command.js';
import { notAvailable } from './not-available.js';
import { sandboxCommand } from './sandbox.js';
import { stateCommand } from './state.js';

/** Every command of CONTRACT §2, in the order --help lists them. */
export const COMMANDS: CommandDefinition<never>[] = [
  notAvailable('validate <manifest..>', 'parse and validate a manifest; print every problem'),
  notAvailable('plan <manifest..>', 'read the live state and print the plan (GET requests only)'),
  notAvailable('apply <manifest..>', 'plan and apply; --plan FILE applies a saved plan'),
  sandboxCommand,
  notAvailable('login-links <manifest..>', 'one login URL per agent, as CSV email,name,link'),
  notAvailable('widget <account>', 'print the widget snippet for an account (key or Omnize id)'),
  stateCommand,
] as CommandDefinition<never>[];
