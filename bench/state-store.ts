/**
 * What the state store costs a run: single-row writes as apply makes them (one
 * transaction each, synchronous=FULL, so each waits for the disk), a journal
 * begin+settle pair per request, and reading everything back for a plan.
 * Run: `npx tsx bench/state-store.ts [writes] [agents]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StateStore } from '../src/state/index.js';

const WRITES = Number(process.argv[2] ?? 2_000);
const AGENTS = Number(process.argv[3] ?? 100_000);
const AGENTS_PER_ACCOUNT = 20;

function timed<T>(work: () => T): { result: T; milliseconds: number } {
  const started = performance.now();
  const result = work();
  return { result, milliseconds: performance.now() - started };
}

function line(label: string, count: number, milliseconds: number): void {
  const perSecond = Math.round((count / milliseconds) * 1000);
  console.log(
    `${label.padEnd(44)} ${count.toString().padStart(7)} in ${milliseconds.toFixed(0).padStart(6)} ms  (${perSecond}/s)`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'omnize-state-bench-'));
try {
  const path = join(folder, 'state.db');
  const store = StateStore.open(path);
  const fingerprint = store.fingerprint('a-password');

  const writes = timed(() => {
    for (let index = 0; index < WRITES; index += 1) {
      store.recordAgentApplied(1, `agent${index}@bench.test`, {
        textLimit: index % 7,
        passwordFingerprint: fingerprint,
      });
    }
  });
  line('recordAgentApplied, one transaction each', WRITES, writes.milliseconds);

  const journal = timed(() => {
    for (let index = 0; index < WRITES; index += 1) {
      const entry = store.journalBegin({
        runId: 'bench',
        actionId: `agent.update:${index}`,
        kind: 'agent.update',
        accountKey: 'acme',
        target: `agent${index}@bench.test`,
        request: { agent: { email: `agent${index}@bench.test`, name: 'Bench' } },
      });
      store.journalSettle(entry, { outcome: 'ok', remoteId: index + 1 });
    }
  });
  line('journalBegin + journalSettle pairs', WRITES, journal.milliseconds);

  const accounts = Math.ceil(AGENTS / AGENTS_PER_ACCOUNT);
  const seeded = timed(() => {
    for (let account = 0; account < accounts; account += 1) {
      store.recordAccountCreated(`account-${account}`, 10_000 + account, {
        email: `a${account}@bench.test`,
        licenseQuantity: 20,
      });
    }
  });
  line(`recordAccountCreated (${accounts} accounts)`, accounts, seeded.milliseconds);
  // Agents for the read test go in through SQL in one transaction: the figure wanted here is the read.
  const raw = (store as unknown as { database: import('better-sqlite3').Database }).database;
  raw.transaction(() => {
    const insert = raw.prepare(
      'INSERT OR IGNORE INTO agents (account_id, email, text_limit, last_applied_at) VALUES (?, ?, ?, ?)',
    );
    for (let index = 0; index < AGENTS; index += 1) {
      insert.run(
        10_000 + Math.floor(index / AGENTS_PER_ACCOUNT),
        `agent${index}@bench.test`,
        5,
        new Date().toISOString(),
      );
    }
  })();
  store.close();

  const reopened = timed(() => StateStore.open(path));
  line('open an existing store', 1, reopened.milliseconds);
  const read = timed(() => reopened.result.remembered());
  line(
    `remembered() (${read.result.accounts.length} accounts, ${read.result.agents.length} agents)`,
    read.result.agents.length,
    read.milliseconds,
  );
  reopened.result.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
