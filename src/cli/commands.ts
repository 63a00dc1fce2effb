import { applyCommand } from './apply.js';
import type { CommandDefinition } from './command.js';
import { exportCommand } from './export.js';
import { historyCommand } from './history.js';
import { loginLinksCommand } from './login-links.js';
import { planCommand } from './plan.js';
import { sandboxCommand } from './sandbox.js';
import { stateCommand } from './state.js';
import { validateCommand } from './validate.js';
import { widgetCommand } from './widget.js';

/** Every command of CONTRACT §2, in the order --help lists them. */
export const COMMANDS: CommandDefinition<never>[] = [
  validateCommand,
  planCommand,
  applyCommand,
  sandboxCommand,
  loginLinksCommand,
  widgetCommand,
  stateCommand,
  historyCommand,
  exportCommand,
] as CommandDefinition<never>[];
