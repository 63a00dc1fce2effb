import { defineCommand, lazyRun } from './command.js';
import { manifestArgument } from './manifest-argument.js';

/** The arguments of `validate`. */
export interface ValidateArgs {
  manifest: string[];
  json?: boolean;
}

/**
 * `omnize-sync validate <manifest…>`: reads and validates the manifest and
 * prints every problem as `FILE[:SHEET][:ROW][:COLUMN]: severity: message`,
 * in file and row order, then a summary line (`3 errors, 1 warning in 2
 * files`); `--json` prints the problems as a JSON array instead. Exit 1 when
 * any problem is an error, 0 otherwise. Needs no token and sends nothing.
 */
export const validateCommand = defineCommand<ValidateArgs>({
  command: 'validate <manifest..>',
  describe: 'parse and validate a manifest (one .xlsx, .csv files or a folder); print every problem',
  builder: (yargs) =>
    manifestArgument(yargs).option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the problems as a JSON array',
    }),
  run: lazyRun(async () => {
    const { formatProblem, loadManifest, summarizeProblems } = await import('../manifest/index.js');
    return async ({ args, io }) => {
      const { problems, files } = await loadManifest(args.manifest, { cwd: io.cwd });
      if (args.json) {
        io.stdout.write(`${JSON.stringify(problems, null, 2)}\n`);
      } else {
        for (const problem of problems) io.stdout.write(`${formatProblem(problem)}\n`);
        const named = new Set([...files, ...problems.map((problem) => problem.file)]);
        io.stdout.write(`${summarizeProblems(problems, named.size)}\n`);
      }
      return {
        command: 'validate',
        errors: problems.filter((problem) => problem.severity === 'error').length,
      };
    };
  }),
});
