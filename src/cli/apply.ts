import { defineCommand, lazyRun } from './command.js';
import { type PlanningArgs, planningOptions } from './planning-options.js';

export interface ApplyArgs extends PlanningArgs {
  plan?: string;
  yes?: boolean;
}

export const applyCommand = defineCommand<ApplyArgs>({
  command: 'apply <manifest..>',
  describe: 'plan and apply; --plan FILE applies a saved plan instead of re-planning',
  builder: (yargs) =>
    planningOptions(yargs)
      .option('plan', {
        type: 'string',
        describe: 'apply this saved plan (from `plan --out`) if nothing changed since',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'apply without asking (required without a terminal)',
      }),
  run: lazyRun(async () => (await import('./apply-run.js')).runApply),
});
