import type { Argv } from 'yargs';
import { manifestArgument } from './manifest-argument.js';

/** The flags `plan` and `apply` share (CONTRACT §5). */
export interface PlanningArgs {
  manifest: string[];
  prune?: boolean;
  allowDelete?: boolean;
  maxDeactivations?: string;
}

export function planningOptions(yargs: Argv): Argv {
  return manifestArgument(yargs)
    .option('prune', {
      type: 'boolean',
      default: false,
      describe:
        'mirror mode: within the accounts the manifest names, deactivate departments and remove agents it omits',
    })
    .option('allow-delete', {
      type: 'boolean',
      default: false,
      describe: 'let status=deleted rows delete their accounts',
    })
    .option('max-deactivations', {
      type: 'string',
      describe:
        'stop (exit 4) when the plan would deactivate, delete or remove more than this: a count or a % (default 10%, at least 5)',
    });
}
