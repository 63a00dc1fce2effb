import type { PlanningFlags } from '../run/inputs.js';
import { defineCommand, lazyRun } from './command.js';
import { planningFlags } from './plan.js';

/** The arguments of `apply`. */
export interface ApplyArgs extends PlanningFlags {
  manifest: string[];
  plan?: string;
  yes?: boolean;
}

export const applyCommand = defineCommand<ApplyArgs>({
  command: 'apply <manifest..>',
  describe: 'plan and apply; --plan FILE applies a saved plan instead of re-planning',
  builder: (yargs) =>
    planningFlags(yargs)
      .option('plan', {
        type: 'string',
        describe:
          'apply this saved plan (from `plan --out`) if nothing changed since; it keeps its own --account/--account-id scope',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'apply without asking (required without a terminal)',
      }),
  run: lazyRun(async () => {
    const { runPipeline } = await import('../run/pipeline.js');
    return ({ args, ...context }) =>
      runPipeline({ ...args, command: 'apply', savedPlan: args.plan }, { args, ...context });
  }),
});
