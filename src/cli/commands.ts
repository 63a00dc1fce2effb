import { applyCommand } from './apply.js';
import type { CommandDefinition } from './command.js';
import { notAvailable } from './not-available.js';
import { planCommand } from './plan.js';
import { sandboxCommand } from './sandbox.js';
import { stateCommand } from './state.js';

/** Every command of CONTRACT §2, in the order --help lists them. */
export const COMMANDS: CommandDefinition<never>[] = [
  notAvailable('validate <manifest..>', 'parse and validate a manifest; print every problem'),
  planCommand,
  applyCommand,
  sandboxCommand,
  notAvailable('login-links <manifest..>', 'one login URL per agent, as CSV email,name,link'),
  notAvailable('widget <account>', 'print the widget snippet for an account (key or Omnize id)'),
  stateCommand,
] as CommandDefinition<never>[];
