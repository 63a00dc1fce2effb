import { applyCommand } from './apply.js';
import type { CommandDefinition } from './command.js';
import { loginLinksCommand } from './login-links.js';
import { notAvailable } from './not-available.js';
import { planCommand } from './plan.js';
import { sandboxCommand } from './sandbox.js';
import { stateCommand } from './state.js';
import { widgetCommand } from './widget.js';

/** Every command of CONTRACT §2, in the order --help lists them. */
export const COMMANDS: CommandDefinition<never>[] = [
  notAvailable('validate <manifest..>', 'parse and validate a manifest; print every problem'),
  planCommand,
  applyCommand,
  sandboxCommand,
  loginLinksCommand,
  widgetCommand,
  stateCommand,
] as CommandDefinition<never>[];
