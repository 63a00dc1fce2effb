import type { AccountSelectorFlags } from './account-selectors.js';
import { accountSelectorFlags } from './account-selectors.js';
import { defineCommand, lazyRun } from './command.js';

/** The arguments of `export`. */
export interface ExportArgs extends AccountSelectorFlags {
  out: string;
  force?: boolean;
}

/**
 * `omnize-sync export --out FILE.xlsx|DIR [--account KEY…] [--account-id ID…] [--force]`: the
 * live state of the accounts as a manifest that plans to no change (CONTRACT §11). GET requests
 * only, 2 per account and 2 per department.
 *
 * Exit codes: 0 when the export is written (warnings on stderr if it does not read back
 * exactly); 1 for usage and configuration errors (an unknown key, an `--out` that cannot be
 * written or that exists without --force), checked before any request, and for a read that
 * failed for good or an invalid token (then nothing is written).
 */
export const exportCommand = defineCommand<ExportArgs>({
  command: 'export',
  describe:
    'write the live state as a manifest that plans to no change: an .xlsx workbook, or a folder of CSV files (GET only)',
  builder: (yargs) =>
    accountSelectorFlags(
      yargs.usage(
        '$0 export --out FILE.xlsx|DIR [--account KEY…] [--account-id ID…] [--force]\n\n' +
          'Write the live state of every account the state store knows (or of those named: --account KEY, a key the ' +
          'state store knows; --account-id ID, any Omnize account) as a manifest that validates and plans to no change. ' +
          'GET requests only: 2 per account and 2 per department.',
      ),
    )
      .option('out', {
        type: 'string',
        demandOption: true,
        requiresArg: true,
        describe:
          'FILE.xlsx for one workbook, or a folder for accounts.csv, departments.csv, agents.csv (UTF-8 with BOM, ";", CRLF)',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'replace the files of an earlier export (refused without it)',
      }),
  run: lazyRun(async () => (await import('./export-run.js')).runExport),
});
