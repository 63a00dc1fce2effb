/**
 * How fast the sandbox is ready: the median of several programmatic starts
 * (startSandbox → listening, and → first answer), and of the built CLI from
 * spawn to its first HTTP answer, next to a bare `node -e 0` for scale.
 * Run: `npm run build && npx tsx bench/sandbox-startup.ts [runs]`.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/index.js';

const RUNS = Number(process.argv[2] ?? 15);
const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const TOKEN = 'bench-token';

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function programmaticStart(): Promise<{ listening: number; firstAnswer: number }> {
  const started = performance.now();
  const sandbox = await startSandbox({ token: TOKEN, port: 0 });
  const listening = performance.now() - started;
  await (await fetch(`${sandbox.baseUrl}/departments?token=${TOKEN}&account_id=1`)).json();
  const firstAnswer = performance.now() - started;
  await sandbox.stop();
  return { listening, firstAnswer };
}

/** Spawns `node bin/omnize-sync.js sandbox --port 0`, waits for its URL line and one answer, then SIGTERMs it. */
function cliStart(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--token', TOKEN], {
    env: { ...process.env, OMNIZE_LOG_LEVEL: 'warn' },
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.on('error', reject);
    child.stdout.on('data', async (chunk) => {
      stdout += chunk;
      const line = /^OMNIZE_BASE_URL=(\S+)/.exec(stdout);
      if (line === null) return;
      stdout = '';
      await (await fetch(`${line[1]}/departments?token=${TOKEN}&account_id=1`)).json();
      const elapsed = performance.now() - started;
      child.on('exit', () => resolve(elapsed));
      child.kill('SIGTERM');
    });
  });
}

function bareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0']);
  return new Promise((resolve) => child.on('exit', () => resolve(performance.now() - started)));
}

const programmatic: { listening: number; firstAnswer: number }[] = [];
for (let run = 0; run < RUNS; run += 1) programmatic.push(await programmaticStart());
const cli: number[] = [];
const bare: number[] = [];
for (let run = 0; run < Math.max(3, Math.ceil(RUNS / 3)); run += 1) {
  cli.push(await cliStart());
  bare.push(await bareNode());
}

const format = (value: number) => `${value.toFixed(1)} ms`;
console.log(
  `sandbox startup (median of ${RUNS} programmatic runs, ${cli.length} CLI runs; load average ${loadavg()[0]!.toFixed(1)})`,
);
console.log(`  startSandbox → listening:        ${format(median(programmatic.map((run) => run.listening)))}`);
console.log(
  `  startSandbox → first answer:     ${format(median(programmatic.map((run) => run.firstAnswer)))}`,
);
console.log(`  CLI spawn → first answer:        ${format(median(cli))}`);
console.log(`  bare \`node -e 0\` (for scale):    ${format(median(bare))}`);
