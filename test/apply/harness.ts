import { startApply } from '../../src/apply/apply.js';
import { createRunContext } from '../../src/apply/context.js';
import { partnerApiRetryPolicy } from '../../src/apply/retry-policy.js';
import type {
  ApplyEvents,
  ApplyOptions,
  ApplyResult,
  ApplyRun,
  ApplyStateStore,
  RunLease,
} from '../../src/apply/types.js';
import { createRequestGate, type RequestGate } from '../../src/limits/request-gate.js';
import type { PlannedAction } from '../../src/plan/action.js';
import type { Plan } from '../../src/plan/types.js';
import type { JournalGroup, LaggingRecord } from '../../src/state/backend.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import type { StateStore } from '../../src/state/store.js';
import { FakeClock } from '../limits/fake-clock.js';
import { openStore } from '../state/temp-store.js';
import { FakeClient } from './fake-client.js';

export interface HarnessOptions {
  concurrency?: number;
  rate?: number;
  retries?: number;
  /** Base of the backoff, virtual ms. */
  baseDelayMs?: number;
  allowDelete?: boolean;
  /** Plain manifest passwords by account key or agent e-mail. */
  passwords?: Record<string, string>;
  drainTimeoutMs?: number;
  /** A store to use instead of a fresh one on a temp file. */
  store?: StateStore;
  /** The run lock's lease the run checks before each request; none when absent. */
  lease?: RunLease;
}

/** One event as a listener received it. */
export interface RecordedEvent {
  name: keyof ApplyEvents;
  args: unknown[];
}

/**
 * A fake client, a real state store on a temp file, a real request gate, all
 * on one virtual clock, in one run context. `timeline` interleaves client
 * requests (`send <method>`) and state store writes (`store <method>`) in the
 * order they happened. `writes` is the store the run writes through: replace
 * one of its methods to make the store refuse.
 */
export function harness(options: HarnessOptions = {}) {
  const clock = new FakeClock();
  const client = new FakeClient(clock);
  const gate: RequestGate = createRequestGate({
    concurrency: options.concurrency ?? 4,
    rate: options.rate ?? 1000,
    clock,
  });
  const store = options.store ?? openStore();
  const timeline: string[] = [];
  client.onStart = (request) => timeline.push(`send ${request.method}`);
  const events: RecordedEvent[] = [];
  /** Listeners a test adds, called after each event is recorded. */
  const on: Partial<ApplyEvents> = {};
  const passwords = options.passwords ?? {};
  const writes = recordingStore(store, timeline);
  const context = createRunContext({
    client,
    gate,
    retryPolicy: partnerApiRetryPolicy(options.retries ?? 3, {
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: 5_000,
      jitter: 0.5,
    }),
    state: { store: writes, runId: 'run-1' },
    ...(options.lease === undefined ? {} : { lease: options.lease }),
    clock,
    random: () => 0.5,
  });
  const applyOptions: ApplyOptions = {
    passwords: (action: PlannedAction) =>
      'password' in action.params && action.params.password === 'from-manifest'
        ? passwords[action.target]
        : undefined,
    allowDelete: options.allowDelete ?? false,
    events: recordingEvents(events, on),
    drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
  };

  /** Runs the plan to its end in virtual time; `during` gets the handle first (to stop it from a listener). */
  async function apply(plan: Plan, during?: (run: ApplyRun) => void): Promise<ApplyResult> {
    const run = startApply(plan, context, applyOptions);
    during?.(run);
    await clock.runUntilIdle();
    return run.done;
  }

  return { clock, client, gate, store, writes, context, applyOptions, timeline, events, on, apply };
}

/** The statuses of a result, by action ID. */
export function statuses(result: ApplyResult): Record<string, string> {
  return Object.fromEntries([...result.outcomes].map(([id, outcome]) => [id, outcome.status]));
}

/**
 * The store apply writes through: the real store behind the asynchronous interface, each call
 * written to the timeline. Its group commit calls the recording methods one by one (a test may
 * replace one to make the store refuse), not in one transaction: the backends' own group is
 * tested in test/state/backend-journal.test.ts.
 */
function recordingStore(file: StateStore, timeline: string[]): ApplyStateStore {
  const store = new SqliteBackend(file);
  const methods: (keyof ApplyStateStore)[] = [
    'journalBegin',
    'journalSettle',
    'getAccount',
    'recordAccountCreated',
    'recordAccountApplied',
    'markAccountCreateUnknown',
    'adoptAccount',
    'recordAccountDeleted',
    'recordAgentApplied',
    'recordDepartmentApplied',
    'recordMemberships',
    'fingerprint',
  ];
  const recording: Partial<Record<keyof ApplyStateStore, unknown>> = {};
  for (const method of methods) {
    recording[method] = (...args: unknown[]) => {
      if (method !== 'getAccount' && method !== 'fingerprint') timeline.push(`store ${method}`);
      return (store[method] as (...values: unknown[]) => unknown).apply(store, args);
    };
  }
  const writes = recording as ApplyStateStore;
  writes.journalGroup = async (group: JournalGroup) => {
    for (const record of group.records ?? []) await writeLagging(writes, record);
    for (const { entryId, settlement } of group.settlements ?? [])
      await writes.journalSettle(entryId, settlement);
    const entries: number[] = [];
    for (const input of group.begins ?? []) entries.push(await writes.journalBegin(input));
    return entries;
  };
  return writes;
}

function writeLagging(store: ApplyStateStore, record: LaggingRecord): Promise<void> {
  switch (record.kind) {
    case 'agent-applied':
      return store.recordAgentApplied(record.accountId, record.email, record.values);
    case 'department-applied':
      return store.recordDepartmentApplied(record.accountId, record.departmentId, record.values);
    case 'memberships':
      return store.recordMemberships(record.change);
  }
}

function recordingEvents(events: RecordedEvent[], on: Partial<ApplyEvents>): ApplyEvents {
  const record =
    (name: keyof ApplyEvents) =>
    (...args: unknown[]) => {
      events.push({ name, args });
      (on[name] as ((...values: unknown[]) => void) | undefined)?.(...args);
    };
  return {
    actionStarted: record('actionStarted'),
    actionFinished: record('actionFinished'),
    requestStarted: record('requestStarted'),
    retryScheduled: record('retryScheduled'),
    runStopped: record('runStopped'),
  };
}
