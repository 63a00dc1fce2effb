import { UsageError } from '../errors.js';
import type { PlanningFlags } from '../run/inputs.js';
import { defineCommand, lazyRun } from './command.js';
import { MISSING_MANIFEST } from './manifest-argument.js';
import { planningFlags } from './plan.js';

/** The arguments of `apply`. */
export interface ApplyArgs extends PlanningFlags {
  /** Optional with `--plan`: the saved plan records the manifest it was made from. */
  manifest?: string[];
  plan?: string;
  yes?: boolean;
}

export const applyCommand = defineCommand<ApplyArgs>({
  command: 'apply [manifest..]',
  describe:
    'plan and apply; --plan FILE applies a saved plan instead of re-planning (the manifest may then be left out: the one the plan was made from is read)',
  builder: (yargs) =>
    planningFlags(yargs)
      .positional('manifest', {
        describe:
          'one .xlsx, or .csv files, or a folder; optional with --plan FILE, which reads the manifest it was made from (still checked against its digest)',
      })
      .option('plan', {
        type: 'string',
        describe:
          'apply this saved plan (from `plan --out`) if nothing changed since; it keeps its own --account/--account-id scope',
      })
      .option('yes', {
        type: 'boolean',
        default: false,
        describe: 'apply without asking (required without a terminal)',
      })
      // Without --plan the manifest is required as before, refused in yargs' own words before anything runs.
      .check((args) => {
        const manifest = args.manifest as string[] | undefined;
        if (args.plan === undefined && (manifest === undefined || manifest.length === 0)) {
          throw new UsageError(MISSING_MANIFEST);
        }
        return true;
      }),
  run: lazyRun(async () => {
    const { runPipeline } = await import('../run/pipeline.js');
    return ({ args, ...context }) =>
      runPipeline({ ...args, command: 'apply', savedPlan: args.plan }, { args, ...context });
  }),
});
