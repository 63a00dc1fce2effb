import type { Argv } from 'yargs';

/** The `<manifest…>` argument of validate, plan, apply and login-links (CONTRACT §2). */
export function manifestArgument(yargs: Argv): Argv {
  return yargs.positional('manifest', {
    type: 'string',
    array: true,
    describe: 'one .xlsx, or .csv files, or a folder',
  });
}
