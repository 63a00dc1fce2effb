import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { widgetSnippet } from '../omnize/index.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import { isPostgresUrl, StateStore } from '../state/index.js';
import type { CommandContext } from './command.js';
import type { WidgetArgs } from './widget.js';
import { resolveWidgetAccountId } from './widget-account.js';

/**
 * Runs `widget`: the Omnize ID from the argument (through the state store for a key), then the
 * snippet on stdout. A missing store is not created: a mistyped --state would leave a stray file.
 */
export async function runWidget({ args, io, config }: CommandContext<WidgetArgs>): Promise<CommandResult> {
  const state = config().state;
  // A URL resolved as a path would not exist, and the store would silently be missing.
  const path = isPostgresUrl(state) ? state : resolve(io.cwd, state);
  const store = isPostgresUrl(state) || existsSync(path) ? StateStore.open(path) : undefined;
  try {
    const accountId = resolveWidgetAccountId(String(args.account), path, store);
    io.stdout.write(`${widgetSnippet(accountId)}\n`);
    return DONE;
  } finally {
    store?.close();
  }
}
