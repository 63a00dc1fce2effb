import { startApply } from '../../src/apply/apply.js';
import { createRunContext } from '../../src/apply/context.js';
import { partnerApiRetryPolicy } from '../../src/apply/retry-policy.js';
import type {
  ApplyEvents,
  ApplyOptions,
  ApplyResult,
  ApplyRun,
  ApplyStateStore,
} from '../../src/apply/types.js';
import { createRequestGate, type RequestGate } from '../../src/limits/request-gate.js';
import type { PlannedAction } from '../../src/plan/action.js';
import type { Plan } from '../../src/plan/types.js';
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

function recordingStore(store: StateStore, timeline: string[]): ApplyStateStore {
  const methods: (keyof ApplyStateStore)[] = [
    'journalBegin',
    'journalSettle',
    'journalGroup',
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
      if (method !== 'getAccount' && method !== 'fingerprint' && method !== 'journalGroup')
        timeline.push(`store ${method}`);
      return (store[method] as (...values: unknown[]) => unknown).apply(store, args);
    };
  }
  return recording as ApplyStateStore;
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
