import { type Clock, type RequestGate, systemClock } from '../limits/request-gate.js';
import type { RetryPolicy } from '../limits/retry.js';
import { CircuitBreaker } from './breaker.js';
import { RunControl } from './control.js';
import { RunEvents } from './events.js';
import { RunStopped, StateStoreWriteError } from './failures.js';
import { Recorder } from './recorder.js';
import { answersLayer } from './requests/answers.js';
import { RequestCounters } from './requests/counters.js';
import { countingLayer } from './requests/counting.js';
import { gateLayer } from './requests/gate.js';
import { WriteJournal } from './requests/journal.js';
import { composeLayers, type Send } from './requests/pipeline.js';
import { retryLayer } from './requests/retry.js';
import { stopCheck } from './requests/stop-check.js';
import { type ThrottleListener, throttleLayer } from './requests/throttle.js';
import type { ApplyStateStore, RunLease, WriteClient } from './types.js';

function leaseLostMessage(reason: 'taken-over' | 'expired'): string {
  return reason === 'taken-over'
    ? 'another run took over the state store lock'
    : 'the state store lock could not be renewed in time';
}

export interface RunContextOptions<Client> {
  client: Client;
  /** --concurrency and --rate, for every request of the run: reads, look-ups, writes, retries. */
  gate: RequestGate;
  /** See `partnerApiRetryPolicy`. */
  retryPolicy: RetryPolicy;
  /** Where the run journals its writes and records what they applied; a run without it may not write. */
  state?: { store: ApplyStateStore; runId: string };
  /** The run lock's lease: once it is lost, no request of the run starts (a plan's reads too). */
  lease?: RunLease;
  /** Time for retry waits, the drain deadline and durations; real timers when absent. Give the gate the same one. */
  clock?: Clock;
  /** 0..1 for backoff jitter; Math.random when absent. */
  random?: () => number;
  /** `--rate auto`: told of every HTTP 429, just below the gate. A fixed --rate has none. */
  throttle?: ThrottleListener;
  /** Called with the gate's rate in force at each request start, for the chart (`--rate auto`). */
  rateInForce?: () => number;
}

/**
 * Everything one run shares (one per command run: `plan`, `apply`, `login-links`): the request
 * pipeline every request passes, the stop switch, the one count of requests, the events, and
 * the state store writes. It holds the client, whose token is a secret: never log or save it.
 */
export interface RunContext<Client = WriteClient> {
  /**
   * The raw Partner API client, only to build a request's `send`: called directly, a request
   * would pass none of the layers.
   */
  readonly client: Client;
  /** Sends a request through the layers: stop check → retry → journal → gate → (429s to --rate auto) → counting → answers. */
  readonly send: Send;
  /** A read that no action owns (live reading, login links), through the same layers. */
  read<T>(send: () => Promise<T>): Promise<T>;
  readonly control: RunControl;
  /** Requests in flight at most (the gate's --concurrency). */
  readonly concurrency: number;
  readonly counters: RequestCounters;
  readonly events: RunEvents;
  readonly clock: Clock | undefined;
  /** The state store writes of the run; undefined when it has no state store. */
  readonly recorder: Recorder | undefined;
  readonly journal: WriteJournal;
}

/** Builds a run's context and its request pipeline; the gate closes when the run stops. */
export function createRunContext<Client>(options: RunContextOptions<Client>): RunContext<Client> {
  const events = new RunEvents();
  const counters = new RequestCounters(options.rateInForce);
  events.listen(counters.listeners);
  const control = new RunControl(options.gate, events.emit, options.clock);
  const { state, lease } = options;
  const recorder =
    state === undefined
      ? undefined
      : new Recorder(state.store, (error) => control.stop('state-store', error));
  // The run lock's lease lost: what this run sent from now on could race another run's writes.
  lease?.onLeaseLost((reason) =>
    control.stop('state-store', new StateStoreWriteError(leaseLostMessage(reason))),
  );
  const journal = new WriteJournal(recorder, state?.runId ?? '');
  const send = composeLayers([
    stopCheck(control, lease),
    retryLayer({
      policy: options.retryPolicy,
      control,
      random: options.random ?? Math.random,
      emit: events.emit,
    }),
    journal.layer,
    gateLayer(options.gate),
    ...(options.throttle === undefined
      ? []
      : [throttleLayer(options.throttle, options.clock ?? systemClock)]),
    countingLayer(events.emit),
    answersLayer(control, new CircuitBreaker()),
  ]);
  const read = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await send({ kind: 'read', send: call });
    } catch (error) {
      // Refused because an answer stopped the run (an invalid token): that answer is the reason.
      if (error instanceof RunStopped && control.fatalError !== undefined) throw control.fatalError;
      throw error;
    }
  };
  return {
    client: options.client,
    send,
    read,
    control,
    concurrency: options.gate.concurrency,
    counters,
    events,
    clock: options.clock,
    recorder,
    journal,
  };
}
