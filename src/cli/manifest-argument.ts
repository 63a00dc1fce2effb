import type { Argv } from 'yargs';

/** yargs' own words for a missing `<manifest…>`, kept for `apply` without `--plan`. */
export const MISSING_MANIFEST = 'Not enough non-option arguments: got 0, need at least 1';

/** The `<manifest…>` argument of validate, plan, apply and login-links (CONTRACT §2). */
export function manifestArgument(yargs: Argv): Argv {
  return yargs.positional('manifest', {
    type: 'string',
    array: true,
    describe: 'one .xlsx, or .csv files, or a folder',
  });
}
