/**
 * bench:apply — a one-off migration of 5,000 agents (20 new accounts, 100 departments) through
 * the real CLI against the sandbox answering with 40 ms latency, at --rate 50 --concurrency 8.
 * Prints requests sent, wall time, achieved requests/s ÷ --rate (utilisation) and requests sent
 * ÷ the minimum the plan needs (one request per action on a fault-free run).
 *
 *   npm run build && npm run bench:apply
 *   APPLY_STATE=postgres npm run bench:apply   # the state store in a throwaway PostgreSQL cluster (fsync off)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../src/sandbox/index.js';
import { writeRoster } from '../test/e2e/roster.js';
import { startCluster, type TestCluster } from '../test/postgres/cluster.js';

const RATE = 50;
const CONCURRENCY = 8;
const LATENCY_MS = 40;
const ACCOUNTS = 20;
const DEPARTMENTS_PER_ACCOUNT = 5;
const AGENTS_PER_ACCOUNT = 250;
const TOKEN = 'bench-token';

const dir = mkdtempSync(join(tmpdir(), 'omnize-bench-apply-'));
const backend = process.env.APPLY_STATE === 'postgres' ? 'postgres' : 'sqlite';
const cluster: TestCluster | undefined = backend === 'postgres' ? await startCluster() : undefined;
const state = cluster === undefined ? join(dir, 'state.db') : await cluster.createDatabase('bench_apply');
const sandbox = await startSandbox({ port: 0, token: TOKEN, latencyMs: LATENCY_MS });
writeRoster(join(dir, 'roster'), {
  accounts: Array.from({ length: ACCOUNTS }, (_, index) => ({ key: `cliente${index + 1}` })),
  departmentsPerAccount: DEPARTMENTS_PER_ACCOUNT,
  agentsPerAccount: AGENTS_PER_ACCOUNT,
});

const started = performance.now();
const exitCode = await new Promise<number | null>((resolve) => {
  const child = spawn(
    process.execPath,
    [
      new URL('../bin/omnize-sync.js', import.meta.url).pathname,
      'apply',
      'roster',
      '--yes',
      '--rate',
      String(RATE),
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
        OMNIZE_STATE: state,
        OMNIZE_REPORT_DIR: join(dir, 'reports'),
        OMNIZE_LOG_LEVEL: 'warn',
      },
    },
  );
  child.on('close', resolve);
});
const wallSeconds = (performance.now() - started) / 1000;

const requests = sandbox.requests;
const [reportFolder] = readdirSync(join(dir, 'reports'));
const results = readFileSync(join(dir, 'reports', reportFolder!, 'results.csv'), 'utf8')
  .trim()
  .split('\r\n')
  .slice(1);
const okActions = results.filter((line) => line.includes(',ok,')).length;
// Each action of a fault-free migration is one write; the new accounts need no reads.
const minimum = results.length;
const firstArrival = requests[0]!.at;
const lastArrival = requests.at(-1)!.at;
const achievedRate = (requests.length - 1) / ((lastArrival - firstArrival) / 1000);
let busiest = 0;
for (let first = 0, last = 0; last < requests.length; last += 1) {
  while (requests[last]!.at - requests[first]!.at >= 1000) first += 1;
  busiest = Math.max(busiest, last - first + 1);
}
// The client spaces starts 1000/rate ms apart: arrivals much closer than that were bunched on the
// way (a stalled sandbox process on a busy machine reads several at once), not sent together.
const bunched = requests.slice(1).filter((request, index) => request.at - requests[index]!.at < 2).length;
await sandbox.stop();
await cluster?.stop();
rmSync(dir, { recursive: true, force: true });

console.log(
  `bench:apply — ${ACCOUNTS} accounts, ${ACCOUNTS * DEPARTMENTS_PER_ACCOUNT} departments, ${ACCOUNTS * AGENTS_PER_ACCOUNT} agents`,
);
console.log(
  `  --rate ${RATE} --concurrency ${CONCURRENCY}, sandbox latency ${LATENCY_MS} ms, state store ${backend}; exit code ${exitCode}`,
);
console.log(`  actions: ${results.length} (${okActions} ok)`);
console.log(
  `  requests sent: ${requests.length}; minimum the plan needs: ${minimum}; ratio ${(requests.length / minimum).toFixed(2)}`,
);
console.log(
  `  wall time: ${wallSeconds.toFixed(1)} s (requests from first to last: ${((lastArrival - firstArrival) / 1000).toFixed(1)} s)`,
);
console.log(
  `  achieved ${achievedRate.toFixed(2)} requests/s; utilisation ${(achievedRate / RATE).toFixed(3)}`,
);
console.log(`  busiest one-second window at the server: ${busiest} requests (limit ${RATE})`);
console.log(
  `  arrivals less than 2 ms after the previous one: ${bunched} of ${requests.length} (spacing sent: ${1000 / RATE} ms)`,
);
