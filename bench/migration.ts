/**
 * bench:migration (issue 10) — the one-off migration at full size: 20 accounts, 100 departments and
 * 10,000 then 100,000 agents from a generated CSV roster. `apply --yes --concurrency 32 --rate 5000`
 * on a fresh state store, then no-op `plan`s at the same limits (three by default), each through the
 * built CLI as its own process, against the sandbox in another process at 0 ms latency. Prints for
 * each command its exit code, wall time, requests/s, peak RSS, requests in flight at the server at
 * most, CPU per request and the size of every report file; then one table of the apply and the
 * median plan of each size, so the figures show how cost grows with the roster. Figures only: what
 * they should be is issue 10's, not the bench's.
 *
 *   npm run build && npm run bench:migration
 *   MIGRATION_SIZES=10000 npm run bench:migration        # only some sizes (agents, a multiple of 20)
 *   MIGRATION_TIMEOUT_SECONDS=900 npm run bench:migration  # bound on each command (default 600)
 *   MIGRATION_NODE_FLAGS= npm run bench:migration  # the CLI's node flags (default: the image's NODE_OPTIONS)
 *   MIGRATION_PLAN_RUNS=5 npm run bench:migration   # no-op plans after each apply (default 3; the table shows the median)
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDockerfile, parseEnv } from '../scripts/dockerfile.js';
import { writeRoster } from '../test/e2e/roster.js';
import { removeNow, removeOnExit } from './migration-children.js';
import { runMeasured } from './migration-measure.js';
import { type CountedSandbox, startCountedSandbox } from './migration-sandbox.js';
import { printRun, printTable, type RunFigures } from './migration-table.js';

const ACCOUNTS = 20;
const DEPARTMENTS_PER_ACCOUNT = 5;
const CONCURRENCY = 32;
const RATE = 5000;
const TOKEN = 'bench-migration-token';
const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const SIZES = sizesToRun(process.env.MIGRATION_SIZES ?? '10000,100000');
const TIMEOUT_MS = Number(process.env.MIGRATION_TIMEOUT_SECONDS ?? 600) * 1000;
/** A no-op plan takes a few seconds, in which this shared machine's noise is large: its median is quoted. */
const PLAN_RUNS = Number(process.env.MIGRATION_PLAN_RUNS ?? 3);
if (!Number.isInteger(PLAN_RUNS) || PLAN_RUNS < 0)
  throw new RangeError('MIGRATION_PLAN_RUNS must be a whole number ≥ 0');
/**
 * Flags for the CLI's node, not the sandbox's (which holds all of Omnize): by default the
 * NODE_OPTIONS the image runs it with, so the figures are the container's.
 */
const NODE_FLAGS = (process.env.MIGRATION_NODE_FLAGS ?? imageNodeOptions())
  .split(/\s+/)
  .filter((flag) => flag !== '');

function imageNodeOptions(): string {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const runtime = parseDockerfile(dockerfile).at(-1);
  const env = Object.assign(
    {},
    ...(runtime?.instructions ?? [])
      .filter((instruction) => instruction.keyword === 'ENV')
      .map((instruction) => parseEnv(instruction.argument)),
  ) as Record<string, string>;
  return env.NODE_OPTIONS ?? '';
}

function sizesToRun(text: string): number[] {
  const sizes = text.split(',').map((item) => Number(item.trim()));
  for (const size of sizes) {
    if (!Number.isInteger(size) || size <= 0 || size % ACCOUNTS !== 0) {
      throw new RangeError(
        `MIGRATION_SIZES: each size must be a positive multiple of ${ACCOUNTS} (got "${text}")`,
      );
    }
  }
  return sizes;
}

async function benchSize(agents: number): Promise<RunFigures[]> {
  const folder = mkdtempSync(join(tmpdir(), `omnize-bench-migration-${agents}-`));
  removeOnExit(folder);
  let sandbox: CountedSandbox | undefined;
  try {
    const roster = writeRoster(join(folder, 'roster'), {
      accounts: Array.from({ length: ACCOUNTS }, (_, index) => ({ key: `cliente${index + 1}` })),
      departmentsPerAccount: DEPARTMENTS_PER_ACCOUNT,
      agentsPerAccount: agents / ACCOUNTS,
    });
    // A sandbox per size: the 100k migration starts from an empty Omnize, like the 10k one.
    sandbox = await startCountedSandbox(TOKEN);
    const environment = {
      ...process.env,
      OMNIZE_TOKEN: TOKEN,
      OMNIZE_BASE_URL: sandbox.baseUrl,
      OMNIZE_AUTH_URL: sandbox.authUrl,
      OMNIZE_STATE: join(folder, 'state.db'),
      OMNIZE_LOG_LEVEL: 'warn',
      OMNIZE_LOG_FORMAT: 'json',
    };
    const limits = ['--concurrency', String(CONCURRENCY), '--rate', String(RATE)];
    // The plan gets the apply's limits too: at the default --rate 10 its 240 reads alone would take 24 s.
    const commands = [
      { command: 'apply' as const, flags: ['--yes', ...limits], name: 'apply' },
      ...Array.from({ length: PLAN_RUNS }, (_, index) => ({
        command: 'plan' as const,
        flags: limits,
        name: `plan-${index + 1}`,
      })),
    ] as const;
    const figures: RunFigures[] = [];
    for (const { command, flags, name } of commands) {
      // A report folder per command, so each command's files are told apart without parsing names.
      const reportDir = join(folder, `reports-${name}`);
      const measured = await runMeasured({
        args: [...NODE_FLAGS, BIN, command, roster, ...flags],
        cwd: folder,
        env: { ...environment, OMNIZE_REPORT_DIR: reportDir },
        timeoutMs: TIMEOUT_MS,
      });
      const server = await sandbox.takeCounts();
      const run = { agents, command, measured, server, ...readReport(reportDir) };
      printRun(run);
      figures.push(run);
    }
    const [apply, ...plans] = figures;
    return [apply!, ...(plans.length === 0 ? [] : [medianPlan(plans)])];
  } finally {
    await sandbox?.stop();
    removeNow(folder);
  }
}

/** The plan run of median wall time, said with the spread of them all. */
function medianPlan(plans: RunFigures[]): RunFigures {
  const byWall = [...plans].sort((a, b) => a.measured.wallSeconds - b.measured.wallSeconds);
  const median = byWall[Math.floor((byWall.length - 1) / 2)]!;
  const walls = plans.map((plan) => plan.measured.wallSeconds.toFixed(1)).join(', ');
  const peaks = plans.map((plan) => (plan.measured.peakRssBytes / 2 ** 20).toFixed(0)).join(', ');
  console.log(
    `\n${median.agents.toLocaleString('en')} agents · ${plans.length} no-op plans: wall ${walls} s ` +
      `(median ${median.measured.wallSeconds.toFixed(1)} s); peak RSS ${peaks} MiB`,
  );
  return median;
}

/** The sizes of the files in the run's report folder, and its summary.json's figures. */
function readReport(reportDir: string): Pick<RunFigures, 'summary' | 'reportFiles'> {
  const reportFiles = new Map<string, number>();
  let runFolders: string[] = [];
  try {
    runFolders = readdirSync(reportDir);
  } catch {
    return { summary: undefined, reportFiles };
  }
  for (const runFolder of runFolders) {
    for (const file of readdirSync(join(reportDir, runFolder))) {
      reportFiles.set(file, statSync(join(reportDir, runFolder, file)).size);
    }
  }
  const [onlyFolder] = runFolders;
  if (runFolders.length !== 1 || !reportFiles.has('summary.json')) return { summary: undefined, reportFiles };
  const summary = JSON.parse(readFileSync(join(reportDir, onlyFolder!, 'summary.json'), 'utf8'));
  return {
    summary: {
      exitCode: summary.exitCode,
      actions: summary.actions,
      // Read defensively: the summary's shape may change while the bench stays.
      requests: typeof summary.requests === 'number' ? summary.requests : summary.requests?.total,
    },
    reportFiles,
  };
}

console.log(
  `bench:migration — ${ACCOUNTS} accounts, ${ACCOUNTS * DEPARTMENTS_PER_ACCOUNT} departments, ` +
    `${SIZES.map((size) => size.toLocaleString('en')).join(' then ')} agents; ` +
    `apply --yes, then ${PLAN_RUNS} no-op plans (the table: their median), all --concurrency ${CONCURRENCY} --rate ${RATE}; ` +
    'sandbox at 0 ms in its own process' +
    (NODE_FLAGS.length > 0 ? `; the CLI's node runs with ${NODE_FLAGS.join(' ')}` : ''),
);
const all: RunFigures[] = [];
for (const agents of SIZES) {
  try {
    all.push(...(await benchSize(agents)));
  } catch (error) {
    // One size that cannot run (the sandbox did not start, a report is unreadable) still leaves the others.
    console.log(`\n${agents.toLocaleString('en')} agents: not measured: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
printTable(all);
