import { defineCommand, lazyRun } from './command.js';
import { type PlanningArgs, planningOptions } from './planning-options.js';

export interface PlanArgs extends PlanningArgs {
  json?: boolean;
  out?: string;
  detailedExitcode?: boolean;
}

export const planCommand = defineCommand<PlanArgs>({
  command: 'plan <manifest..>',
  describe: 'read the live state and print the plan (GET requests only)',
  builder: (yargs) =>
    planningOptions(yargs)
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
  run: lazyRun(async () => (await import('./plan-run.js')).runPlan),
});
