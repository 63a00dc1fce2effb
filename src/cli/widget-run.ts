import { widgetSnippet } from '../omnize/index.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import { missingStateFile, openConfiguredState } from '../state/open.js';
import type { CommandContext } from './command.js';
import type { WidgetArgs } from './widget.js';
import { resolveWidgetAccountId } from './widget-account.js';

/**
 * Runs `widget`: the Omnize ID from the argument (through the state store for a key), then the
 * snippet on stdout. A missing store file is not created: a mistyped --state would leave a stray file.
 */
export async function runWidget({ args, io, config }: CommandContext<WidgetArgs>): Promise<CommandResult> {
  const settings = config();
  const missing = missingStateFile(settings.state, io.cwd);
  const store = missing === undefined ? await openConfiguredState(settings, io) : undefined;
  try {
    const accountId = await resolveWidgetAccountId(String(args.account), store?.display ?? missing!, store);
    io.stdout.write(`${widgetSnippet(accountId)}\n`);
    return DONE;
  } finally {
    await store?.close();
  }
}
