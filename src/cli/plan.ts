import type { Argv } from 'yargs';
import type { PlanningFlags } from '../run/inputs.js';
import { accountSelectorFlags } from './account-selectors.js';
import { defineCommand, lazyRun } from './command.js';
import { manifestArgument } from './manifest-argument.js';

/** The arguments of `plan`. */
export interface PlanArgs extends PlanningFlags {
  manifest: string[];
  json?: boolean;
  out?: string;
  detailedExitcode?: boolean;
}

/** The flags `plan` and `apply` share (CONTRACT §5, §12). */
export function planningFlags(yargs: Argv): Argv {
  return accountSelectorFlags(manifestArgument(yargs))
    .option('prune', {
      type: 'boolean',
      default: false,
      describe:
        'mirror mode: within the accounts the manifest names (with --account/--account-id: those only), deactivate departments and remove agents it omits',
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

export const planCommand = defineCommand<PlanArgs>({
  command: 'plan <manifest..>',
  describe: 'read the live state and print the plan (GET requests only)',
  builder: (yargs) =>
    planningFlags(yargs)
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the plan as JSON instead of the readable diff',
      })
      .option('out', { type: 'string', describe: 'save the plan to FILE for `apply --plan FILE`' })
      .option('detailed-exitcode', {
        type: 'boolean',
        default: false,
        describe: 'exit 2 when the plan has changes, 0 when it has none',
      }),
  run: lazyRun(async () => {
    const { runPipeline } = await import('../run/pipeline.js');
    return (context) => runPipeline({ ...context.args, command: 'plan' }, context);
  }),
});
