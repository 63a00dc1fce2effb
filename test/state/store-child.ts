/**
 * A separate process that uses a state store, driven over stdin/stdout by the
 * lock and journal tests: one JSON command per line in, one JSON answer per
 * line out. It never releases anything on its own, so a test can kill it
 * (SIGKILL) to play a crashed run.
 */
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { StateStore } from '../../src/state/index.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: store-child.ts STATE_FILE');
const store = StateStore.open(path);

function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as { op: 'acquire' | 'begin'; runId: string };
  if (command.op === 'acquire') {
    answer(store.acquireLock({ runId: command.runId, host: hostname(), pid: process.pid, command: 'apply' }));
  } else {
    answer({
      entryId: store.journalBegin({
        runId: command.runId,
        actionId: 'account.create:acme',
        kind: 'account.create',
        accountKey: 'acme',
        target: 'acme',
        request: { account: { email: 'ops@acme.com' } },
      }),
    });
  }
});
lines.on('close', () => {
  store.close();
});
answer({ ready: true, pid: process.pid });
