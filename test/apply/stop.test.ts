import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../src/apply/types.js';
import { InvalidTokenError } from '../../src/omnize/errors.js';
import { harness, statuses } from './harness.js';
import { accountCreate, action, agentCreate, planOf } from './plans.js';

const licenses = (accountId: number) =>
  action('account.set_licenses', `#${accountId}`, `#${accountId}`, { accountId, licenseQuantity: 3 });

describe('stopping', () => {
  it('stops at once on "Invalid token": nothing starts after the answer', async () => {
    const { client, apply } = harness({ concurrency: 2 });
    client.script('setLicenseQuantity', [
      { reply: 'ok', delayMs: 50 },
      { reply: 'invalid-token', delayMs: 10 },
    ]);
    const actions = [1, 2, 3, 4, 5].map(licenses);
    const result = await apply(planOf(...actions));

    const refused = client.log.find((request) => request.result === 'InvalidTokenError')!;
    expect(client.log.every((request) => request.startedAt <= refused.endedAt!)).toBe(true);
    expect(client.log).toHaveLength(2);
    expect(result.stoppedBy).toBe('invalid-token');
    expect(result.fatalError).toBeInstanceOf(InvalidTokenError);
    expect(Object.values(statuses(result))).toEqual(['ok', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(result.outcomes.get(actions[1]!.id)).toMatchObject({ error: { kind: 'invalid-token' } });
    expect(result.outcomes.get(actions[2]!.id)).toMatchObject({ because: 'invalid token' });
  });

  it('after stop() starts nothing new, lets requests in flight finish and skips the rest', async () => {
    const { client, on, apply } = harness({ concurrency: 2 });
    const accounts = ['a', 'b', 'c', 'd'].map((key) => accountCreate(key));
    const agents = accounts.map((account) => agentCreate(account, `ana@${account.account}.example`));
    let stoppedAt = 0;
    const result = await apply(planOf(...accounts, ...agents), (run) => {
      on.actionFinished = () => {
        if (stoppedAt > 0) return;
        stoppedAt = client.log.length;
        run.stop('SIGINT');
      };
    });

    // Nothing started after the stop; what was in flight then finished. (How many were in flight
    // depends on where the journal's group commit had the next one when the first answer came.)
    expect(client.log).toHaveLength(stoppedAt);
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(client.log.map((request) => request.result)).toEqual(Array(stoppedAt).fill('ok'));
    expect(result.stoppedBy).toBe('SIGINT');
    expect(statuses(result)).toEqual(
      Object.fromEntries([
        ...accounts.map((account, index) => [account.id, index < stoppedAt ? 'ok' : 'skipped']),
        ...agents.map((agent) => [agent.id, 'skipped']),
      ]),
    );
    expect(result.outcomes.get(agents[0]!.id)).toMatchObject({ because: 'interrupted', attempts: 0 });
  });

  it('does not send a request that was waiting in the gate when the run stopped', async () => {
    const { client, apply } = harness({ concurrency: 1 });
    const actions = [1, 2, 3, 4, 5, 6].map(licenses);
    const result = await apply(planOf(...actions), (run) => {
      client.onStart = () => run.stop('SIGTERM');
    });
    expect(client.log).toHaveLength(1);
    expect(Object.values(statuses(result))).toEqual([
      'ok',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('skips everything when stopped before the first request', async () => {
    const { client, apply } = harness();
    const account = accountCreate('acme');
    const result = await apply(planOf(account, agentCreate(account, 'ana@acme.example')), (run) =>
      run.stop('SIGTERM'),
    );
    expect(client.log).toHaveLength(0);
    expect(result.stoppedBy).toBe('SIGTERM');
    expect([...result.outcomes.values()].map((outcome) => outcome)).toEqual([
      { status: 'skipped', because: 'interrupted', attempts: 0, durationMs: 0 },
      { status: 'skipped', because: 'interrupted', attempts: 0, durationMs: 0 },
    ]);
  });

  it('neither retries nor looks up once stopped during a backoff wait', async () => {
    const { client, on, clock, apply } = harness({ baseDelayMs: 4_000 });
    client.script('setLicenseQuantity', [{ transient: 'http-5xx' }]);
    client.script('createAgent', [{ transient: 'timeout' }]);
    const update = licenses(1);
    const agent = agentCreate(2, 'ana@acme.example');
    let doneAt = -1;
    const result = await apply(planOf(update, agent), (run) => {
      let failures = 0;
      on.retryScheduled = () => {
        failures += 1;
        if (failures === 2) run.stop('SIGINT');
      };
      void run.done.then(() => {
        doneAt = clock.now();
      });
    });
    expect(client.log.map((request) => request.method)).toEqual(['setLicenseQuantity', 'createAgent']);
    expect(doneAt).toBeLessThan(100);
    expect(result.outcomes.get(update.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { message: expect.stringContaining('(not retried: the run stopped)') },
    });
    // The create may have been applied and could not be looked up.
    expect(result.outcomes.get(agent.id)).toMatchObject({ status: 'unknown', attempts: 1 });
  });

  it('settles as not sent the entries written ahead for requests still waiting in the gate when it stops', async () => {
    const { client, store, apply } = harness({ concurrency: 1 });
    client.script('setLicenseQuantity', [{ reply: 'ok', delayMs: 50 }]);
    const actions = [1, 2, 3].map(licenses);
    const result = await apply(planOf(...actions), (run) => {
      client.onStart = () => run.stop('SIGTERM');
    });
    expect(client.log).toHaveLength(1);
    expect(Object.values(statuses(result))).toEqual(['ok', 'skipped', 'skipped']);
    expect(store.unsettledJournal()).toEqual([]);
    const settled = store.journalOfRun('run-1').map((entry) => [entry.actionId, entry.outcome, entry.error]);
    expect(settled).toEqual([
      [actions[0]!.id, 'ok', null],
      [actions[1]!.id, 'failed', expect.stringMatching(/^not sent: /)],
      [actions[2]!.id, 'failed', expect.stringMatching(/^not sent: /)],
    ]);
  });

  it('journals an account create only once it holds a slot: a crash never leaves one open that was only waiting', async () => {
    const { client, store, apply } = harness({ concurrency: 1 });
    client.script('setLicenseQuantity', [{ reply: 'ok', delayMs: 50 }]);
    const update = licenses(1);
    const account = accountCreate('acme');
    let openWhileWaiting: string[] = [];
    await apply(planOf(update, account), () => {
      client.onStart = (request) => {
        if (request.method === 'setLicenseQuantity') {
          openWhileWaiting = store.unsettledJournal().map((entry) => entry.actionId);
        }
      };
    });
    expect(openWhileWaiting).toEqual([update.id]);
    expect(client.log.map((request) => request.method)).toEqual(['setLicenseQuantity', 'createAccount']);
  });

  it('gives requests in flight 30 s, then calls them unknown', async () => {
    const { client, clock, store, apply } = harness();
    client.script('createAccount', [{ reply: 'ok', delayMs: 60_000 }]);
    client.script('setLicenseQuantity', [{ reply: 'ok', delayMs: 20 }]);
    const account = accountCreate('acme');
    const update = licenses(9);
    let atDone: { time: number; createState?: string; result: ApplyResult } | undefined;
    await apply(planOf(account, update), (run) => {
      // Stopped once both are in flight, whichever left first.
      client.onStart = () => {
        if (client.log.length === 2) run.stop('SIGTERM');
      };
      void run.done.then((result) => {
        atDone = { time: clock.now(), createState: store.getAccount('acme')?.createState, result };
      });
    });
    expect(atDone!.time).toBe(30_001);
    expect(statuses(atDone!.result)).toEqual({ [account.id]: 'unknown', [update.id]: 'ok' });
    expect(atDone!.result.outcomes.get(account.id)).toMatchObject({
      error: { kind: 'stopped', message: expect.stringContaining('still in flight') },
      attempts: 1,
    });
    expect(atDone!.createState).toBe('unknown');
    const outcomes = store.journalOfRun('run-1').map((entry) => [entry.actionId, entry.outcome]);
    expect(Object.fromEntries(outcomes)).toEqual({ [account.id]: 'unknown', [update.id]: 'ok' });
  });
});
