/**
 * bench:export — `omnize-sync export` of 5,000 agents (20 accounts, 100 departments) through the
 * real CLI against the sandbox answering with 40 ms latency, at --rate 50 --concurrency 8, to an
 * XLSX workbook and to a folder of CSV files. Half the accounts have fields the state store knows
 * (as after an apply), half are adopted (fields unknown). Prints the GETs the sandbox received
 * (expected: 2 per account + 2 per department = 240), wall time and peak RSS (VmHWM) of the
 * export process, then checks the round trip: `plan --detailed-exitcode` of each export exits 0.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxDataInput } from '../src/sandbox/index.js';
import { startSandbox } from '../src/sandbox/index.js';
import { StateStore } from '../src/state/index.js';
import { runMeasured } from './migration-measure.js';

const ACCOUNTS = 20;
const DEPARTMENTS_PER_ACCOUNT = 5;
const AGENTS_PER_ACCOUNT = 250;
const RATE = 50;
const CONCURRENCY = 8;
const LATENCY_MS = 40;
const TOKEN = 'bench-token';
const BIN = new URL('../bin/omnize-sync.js', import.meta.url).pathname;
const TIMEOUT_MS = 300_000;

const FIRST_NAMES = ['João', 'Márcia', 'Antônio', 'Luíza', 'Cauã', 'Conceição', 'Sebastião', 'Érica'];
const DEPARTMENTS = ['Atendimento', 'Cobrança', 'Manutenção', 'Suporte Técnico', 'Vendas'];

/** The live state: every agent in one or two departments (every tenth in none), one department in five inactive. */
function liveState(): SandboxDataInput {
  const data: Required<SandboxDataInput> = { accounts: [], agents: [], departments: [] };
  for (let account = 0; account < ACCOUNTS; account += 1) {
    const accountId = 1000 + account;
    data.accounts.push({
      id: accountId,
      email: `contato@cliente${account}.com.br`,
      main_contact: 'Responsável',
    });
    const agentIds: number[] = [];
    for (let agent = 0; agent < AGENTS_PER_ACCOUNT; agent += 1) {
      const id = 10_000 + account * AGENTS_PER_ACCOUNT + agent;
      agentIds.push(id);
      data.agents.push({
        id,
        account_id: accountId,
        email: `agente${agent}@cliente${account}.com.br`,
        name: `${FIRST_NAMES[agent % FIRST_NAMES.length]} Araújo ${agent}`,
        administrator: agent % 25 === 0 ? 'SIM' : 'NAO',
      });
    }
    DEPARTMENTS.forEach((name, index) => {
      data.departments.push({
        id: 500 + account * DEPARTMENTS_PER_ACCOUNT + index,
        account_id: accountId,
        name,
        description: `Equipe de ${name.toLowerCase()}`,
        ativo: index === 2 ? 0 : 1,
        channels: index % 2 === 0 ? ['chat', 'audio'] : ['chat'],
        agent_ids: agentIds.filter(
          (_, agent) => agent % 10 !== 0 && (agent % 5 === index || agent % 7 === index),
        ),
      });
    });
  }
  return data;
}

/** Half the accounts as an apply leaves them (fields known), half adopted (fields unknown). */
function seedStateStore(path: string): void {
  const store = StateStore.open(path);
  try {
    for (let account = 0; account < ACCOUNTS; account += 1) {
      const key = `cliente${account}`;
      if (account % 2 === 1) {
        store.adoptAccount(key, 1000 + account);
        continue;
      }
      store.recordAccountCreated(key, 1000 + account, {
        email: `contato@cliente${account}.com.br`,
        mainContact: 'Responsável',
        licenseQuantity: AGENTS_PER_ACCOUNT + 10,
        licenseCode: 'PARTNER_X',
        status: 'active',
      });
      for (let agent = 0; agent < AGENTS_PER_ACCOUNT; agent += 10) {
        store.recordAgentApplied(1000 + account, `agente${agent}@cliente${account}.com.br`, { textLimit: 5 });
      }
    }
  } finally {
    store.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'omnize-bench-export-'));
const sandbox = await startSandbox({ port: 0, token: TOKEN, latencyMs: LATENCY_MS, seed: liveState() });
const env = {
  ...process.env,
  OMNIZE_TOKEN: TOKEN,
  OMNIZE_BASE_URL: sandbox.baseUrl,
  OMNIZE_STATE: join(dir, 'state.db'),
  OMNIZE_REPORT_DIR: join(dir, 'reports'),
  OMNIZE_LOG_LEVEL: 'warn',
};
seedStateStore(env.OMNIZE_STATE);

console.log(
  `bench:export — ${ACCOUNTS} accounts, ${ACCOUNTS * DEPARTMENTS_PER_ACCOUNT} departments, ${ACCOUNTS * AGENTS_PER_ACCOUNT} agents`,
);
console.log(`  --rate ${RATE} --concurrency ${CONCURRENCY}, sandbox latency ${LATENCY_MS} ms`);
try {
  for (const out of ['roster.xlsx', 'exported']) {
    const before = sandbox.requests.length;
    const measured = await runMeasured({
      args: [BIN, 'export', '--out', out, '--rate', String(RATE), '--concurrency', String(CONCURRENCY)],
      cwd: dir,
      env,
      timeoutMs: TIMEOUT_MS,
    });
    const requests = sandbox.requests.slice(before);
    const gets = requests.filter((request) => request.method === 'GET').length;
    const size = out.endsWith('.xlsx')
      ? statSync(join(dir, out)).size
      : ['accounts', 'departments', 'agents'].reduce(
          (total, kind) => total + statSync(join(dir, out, `${kind}.csv`)).size,
          0,
        );
    console.log(`  export --out ${out}: exit ${measured.exit}`);
    console.log(
      `    requests: ${requests.length} (${gets} GET; expected ${2 * ACCOUNTS + 2 * ACCOUNTS * DEPARTMENTS_PER_ACCOUNT})`,
    );
    console.log(
      `    wall ${measured.wallSeconds.toFixed(2)} s, CPU ${measured.cpuSeconds.toFixed(2)} s, peak RSS ${(measured.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${(size / 1024).toFixed(0)} KiB written; load ${measured.loadAverage.map((load) => load.toFixed(2)).join(' → ')}`,
    );
    if (measured.exit !== '0') console.log(measured.stderrTail);
    const plan = await runMeasured({
      args: [BIN, 'plan', out, '--detailed-exitcode', '--rate', String(RATE)],
      cwd: dir,
      env,
      timeoutMs: TIMEOUT_MS,
    });
    console.log(`    plan ${out} --detailed-exitcode: exit ${plan.exit} (0: no change)`);
  }
} finally {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
}
