import { type AccountSelectorFlags, accountSelectorFlags } from './account-selectors.js';
import { defineCommand, lazyRun } from './command.js';
import { manifestArgument } from './manifest-argument.js';

/** The arguments of `login-links`. */
export interface LoginLinksArgs extends AccountSelectorFlags {
  manifest: string[];
  out?: string;
}

/**
 * `omnize-sync login-links <manifest…> [--out FILE]`: one "Url login" call per agent of the
 * manifest, and the CSV `email,name,link` in manifest order on stdout or in FILE. With
 * `--account KEY` / `--account-id ID` (repeatable), only the agents of those accounts (CONTRACT
 * §12); a selector naming no account of the manifest exits 1 before any request.
 *
 * Exit codes: 0 when every agent has a link; 3 when some agents have none (their rows keep an
 * empty link, and each is reported on stderr as `FILE:ROW: e-mail: reason`); 1 for usage,
 * configuration and manifest errors and for an "Invalid token" answer (then no CSV is written).
 */
export const loginLinksCommand = defineCommand<LoginLinksArgs>({
  command: 'login-links <manifest..>',
  describe: 'one login URL per agent ("Url login" flow), as CSV email,name,link; exit 3 when some failed',
  builder: (yargs) =>
    accountSelectorFlags(manifestArgument(yargs)).option('out', {
      type: 'string',
      describe: 'write the CSV to FILE (created owner-only: the links log agents in) instead of stdout',
    }),
  run: lazyRun(async () => (await import('./login-links-run.js')).runLoginLinks),
});
