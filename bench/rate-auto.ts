/**
 * bench:rate-auto — `--rate auto` against a sandbox whose `--rate-limit L` the client is not told:
 * the 5,000-agent migration of bench:apply (20 new accounts, 100 departments, 40 ms latency,
 * --concurrency 8, --max-rate 100) for L = 5, 25 and 60; a run where L drops from 60 to 20 half-way
 * (the sandbox's setRateLimit); and a second migration that starts from the rate the first one
 * learned (same state store, same sandbox, L = 25).
 *
 * The sandbox's limit is a sliding one-second window over the requests it admitted (refused ones
 * do not count), answered HTTP 429 with Retry-After in whole seconds (at least 1).
 *
 * Prints, from what the sandbox received: achieved requests/s (requests it admitted, first to last
 * arrival) ÷ L, the share of requests answered 429, and the time from the first request until the
 * admitted requests of the last second first reach 90% of L.
 *
 * `npm run bench:rate-auto -- 25 60` runs only those scenarios (5, 25, 60, drop, learned).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedRequest, type RunningSandbox, startSandbox } from '../src/sandbox/index.js';
import { writeRoster } from '../test/e2e/roster.js';

const CONCURRENCY = 8;
const LATENCY_MS = 40;
const ACCOUNTS = 20;
const DEPARTMENTS_PER_ACCOUNT = 5;
const AGENTS_PER_ACCOUNT = 250;
const TOKEN = 'bench-token';
/** Requests of one fault-free migration of the roster (bench:apply): one per action. */
const EXPECTED_REQUESTS = 5220;
const DROP = { from: 60, to: 20 };
const SCENARIOS = ['5', '25', '60', 'drop', 'learned'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Run {
  exitCode: number | null;
  requests: RecordedRequest[];
  rate: unknown;
}

async function migrate(sandbox: RunningSandbox, dir: string, prefix: string): Promise<Run> {
  const roster = join(dir, `roster-${prefix}`);
  writeRoster(roster, {
    accounts: Array.from({ length: ACCOUNTS }, (_, index) => ({ key: `${prefix}${index + 1}` })),
    departmentsPerAccount: DEPARTMENTS_PER_ACCOUNT,
    agentsPerAccount: AGENTS_PER_ACCOUNT,
  });
  const reports = join(dir, `reports-${prefix}`);
  const from = sandbox.requests.length;
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        new URL('../bin/omnize-sync.js', import.meta.url).pathname,
        'apply',
        roster,
        '--yes',
        '--rate',
        'auto',
        '--concurrency',
        String(CONCURRENCY),
      ],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          OMNIZE_TOKEN: TOKEN,
          OMNIZE_BASE_URL: sandbox.baseUrl,
          OMNIZE_STATE: join(dir, 'state.db'),
          OMNIZE_REPORT_DIR: reports,
          OMNIZE_LOG_LEVEL: 'warn',
        },
      },
    );
    child.on('close', resolve);
  });
  const [folder] = readdirSync(reports);
  const summary = JSON.parse(readFileSync(join(reports, folder!, 'summary.json'), 'utf8')) as {
    rate?: unknown;
  };
  return { exitCode, requests: sandbox.requests.slice(from), rate: summary.rate };
}

/** Admitted (not 429) arrivals in the second before each arrival, from `from` on. */
function admittedWindows(requests: RecordedRequest[]): { at: number; admitted: number }[] {
  const admitted = requests.filter((request) => request.status !== 429);
  const windows: { at: number; admitted: number }[] = [];
  for (let first = 0, last = 0; last < admitted.length; last += 1) {
    while (admitted[last]!.at - admitted[first]!.at >= 1000) first += 1;
    windows.push({ at: admitted[last]!.at, admitted: last - first + 1 });
  }
  return windows;
}

function figures(requests: RecordedRequest[], limit: number) {
  const throttled = requests.filter((request) => request.status === 429).length;
  const admitted = requests.filter((request) => request.status !== 429);
  const first = requests[0]!.at;
  const span = (admitted.at(-1)!.at - admitted[0]!.at) / 1000;
  const achieved = (admitted.length - 1) / span;
  const reached = admittedWindows(requests).find((window) => window.admitted >= 0.9 * limit);
  return {
    requests: requests.length,
    throttled,
    share: throttled / requests.length,
    achieved,
    ratio: achieved / limit,
    to90: reached === undefined ? undefined : (reached.at - first) / 1000,
    span,
  };
}

/** Admitted requests per second in each TIMELINE_SECONDS from the first arrival: where the time went. */
const TIMELINE_SECONDS = 10;
function timeline(requests: RecordedRequest[]): string {
  const first = requests[0]!.at;
  const sums: number[] = [];
  for (const request of requests) {
    if (request.status === 429) continue;
    const bucket = Math.floor((request.at - first) / (TIMELINE_SECONDS * 1000));
    while (sums.length <= bucket) sums.push(0);
    sums[bucket]! += 1;
  }
  return sums.map((sum) => (sum / TIMELINE_SECONDS).toFixed(1)).join(' ');
}

function describe(name: string, run: Run, limit: number): void {
  const f = figures(run.requests, limit);
  const to90 = f.to90 === undefined ? 'never' : `${f.to90.toFixed(1)} s`;
  console.log(`  ${name}: exit ${run.exitCode}; rate ${JSON.stringify(run.rate)}`);
  console.log(
    `    achieved ${f.achieved.toFixed(2)} requests/s ÷ L ${limit} = ${f.ratio.toFixed(3)}; 429s ${f.throttled} of ${f.requests} (${(100 * f.share).toFixed(2)}%); 90% of L after ${to90}; ${f.span.toFixed(1)} s`,
  );
  console.log(`    admitted/s in each ${TIMELINE_SECONDS} s: ${timeline(run.requests)}`);
}

async function fixedLimit(limit: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'omnize-bench-rate-auto-'));
  const sandbox = await startSandbox({ port: 0, token: TOKEN, latencyMs: LATENCY_MS, rateLimit: limit });
  try {
    describe(`L = ${limit}`, await migrate(sandbox, dir, 'cliente'), limit);
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function learned(): Promise<void> {
  const limit = 25;
  const dir = mkdtempSync(join(tmpdir(), 'omnize-bench-rate-auto-'));
  const sandbox = await startSandbox({ port: 0, token: TOKEN, latencyMs: LATENCY_MS, rateLimit: limit });
  try {
    describe(`L = ${limit}, first run (starts at 10/s)`, await migrate(sandbox, dir, 'primeira'), limit);
    describe(
      `L = ${limit}, second run (starts from the learned rate)`,
      await migrate(sandbox, dir, 'segunda'),
      limit,
    );
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drop(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'omnize-bench-rate-auto-'));
  let admitted = 0;
  let droppedAt: number | undefined;
  let sandbox: RunningSandbox | undefined;
  sandbox = await startSandbox({
    port: 0,
    token: TOKEN,
    latencyMs: LATENCY_MS,
    rateLimit: DROP.from,
    onRequest: (request) => {
      if (request.status !== 429) admitted += 1;
      if (droppedAt === undefined && admitted >= EXPECTED_REQUESTS / 2 && sandbox !== undefined) {
        droppedAt = request.at;
        sandbox.setRateLimit(DROP.to);
      }
    },
  });
  try {
    const run = await migrate(sandbox, dir, 'cliente');
    const at = droppedAt ?? Number.POSITIVE_INFINITY;
    const before = run.requests.filter((request) => request.at < at);
    const after = run.requests.filter((request) => request.at >= at);
    describe(`L = ${DROP.from} for the first half`, { ...run, requests: before }, DROP.from);
    describe(`L = ${DROP.to} after the drop`, { ...run, requests: after }, DROP.to);
    // Followed: the requests the client sent (429s included) in the second before fell to 1.1 × the new limit.
    let followed: number | undefined;
    for (let first = 0, last = 0; last < after.length; last += 1) {
      while (after[last]!.at - after[first]!.at >= 1000) first += 1;
      if (after[last]!.at - at >= 1000 && last - first + 1 <= 1.1 * DROP.to) {
        followed = (after[last]!.at - at) / 1000;
        break;
      }
    }
    const stormEnd = after.filter((request) => request.status === 429 && request.at - at < 10_000);
    console.log(
      `    drop followed: requests sent in the last second ≤ ${1.1 * DROP.to} after ${followed?.toFixed(1) ?? 'never'} s; 429s in the 10 s after the drop: ${stormEnd.length}, the last ${stormEnd.length === 0 ? '-' : ((stormEnd.at(-1)!.at - at) / 1000).toFixed(1)} s after it`,
    );
  } finally {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const chosen = (process.argv.slice(2).length === 0 ? SCENARIOS : process.argv.slice(2)) as Scenario[];
console.log(
  `bench:rate-auto — ${ACCOUNTS} accounts, ${ACCOUNTS * DEPARTMENTS_PER_ACCOUNT} departments, ${ACCOUNTS * AGENTS_PER_ACCOUNT} agents; --rate auto --concurrency ${CONCURRENCY}, sandbox latency ${LATENCY_MS} ms`,
);
for (const scenario of chosen) {
  if (scenario === 'drop') await drop();
  else if (scenario === 'learned') await learned();
  else if (SCENARIOS.includes(scenario)) await fixedLimit(Number(scenario));
  else throw new Error(`unknown scenario ${scenario}: choose among ${SCENARIOS.join(', ')}`);
}
