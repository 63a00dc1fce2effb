import { defineCommand, lazyRun } from './command.js';

/** The arguments of `widget`. */
export interface WidgetArgs {
  account: string;
}

/**
 * `omnize-sync widget <account>`: prints the document's widget snippet for one account, with
 * its Omnize ID found through the state store when given a key (see widget-account.ts for how
 * the argument is read). Sends no request and needs no token; exit 1 for an unknown key.
 */
export const widgetCommand = defineCommand<WidgetArgs>({
  command: 'widget <account>',
  describe:
    'print the widget snippet for an account: its key (looked up in the state store) or its Omnize ID; no API',
  builder: (yargs) =>
    // A string: a key such as "007" must not become the number 7.
    yargs.positional('account', {
      type: 'string',
      describe: 'the account key in the manifest (a key the state store knows wins) or the Omnize ID',
    }),
  run: lazyRun(async () => (await import('./widget-run.js')).runWidget),
});
