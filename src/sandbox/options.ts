import type { SandboxData, SandboxDataInput } from './data.js';
import { FAULT_KINDS, type FaultKind, type ForcedFault } from './traffic.js';

/** How to start a sandbox. Only `token` is required. */
export interface SandboxOptions {
  /** 0 (the default) picks a free port; read it back from `RunningSandbox.port`. */
  port?: number;
  /** Default `127.0.0.1`: the sandbox is meant for loopback only. */
  host?: string;
  /** The partner token the sandbox accepts. */
  token: string;
  /**
   * A data file: loaded at start when it exists (it then wins over `seed`),
   * written on `stop()` (and by `save()`), atomically (temp file + rename).
   * Not written after each request: a sandbox killed with SIGKILL loses its changes.
   */
  data?: string;
  /** Initial data when there is no data file (checked like a file; a bad one throws SandboxDataError). */
  seed?: SandboxDataInput | SandboxData;
  /** Added before every answer except 429s. Default 0. */
  latencyMs?: number;
  /** Requests admitted per second (sliding window); above it HTTP 429 + Retry-After. Undefined or 0: no limit. */
  rateLimit?: number;
  /**
   * 0..1: the share of requests that get a fault, chosen evenly among `faultKinds`. Default 0.
   * Faults, latency and the rate limit apply to every request, /authentication
   * included: the real one is a separate network service that can fail too,
   * and login-links must cope with that as well.
   */
  failRate?: number;
  /** The faults `failRate` chooses among. Default all of FAULT_KINDS. */
  faultKinds?: FaultKind[];
  /** How much later a `slow` fault answers. Default 2000 ms. */
  slowMs?: number;
  /** The random source of fault choices; give a seeded one for deterministic tests. Default Math.random. */
  random?: () => number;
  /** Keep every request in `RunningSandbox.requests`. Default true; the long-running CLI turns it off. */
  record?: boolean;
  /** Called once per request when it is answered, refused or dropped (the CLI logs it). */
  onRequest?: (request: RecordedRequest) => void;
}

/**
 * One request as the sandbox saw it. Secret-free: the path has its `token`
 * query parameter removed, and the body has `token`, passwords and digests masked.
 */
export interface RecordedRequest {
  method: string;
  /** Path and query, without `token`, e.g. `/api/v1/agents?account_id=1000`. */
  path: string;
  /** Arrival time in ms since the sandbox started (fractional). */
  at: number;
  /** The JSON body, masked; undefined when empty or not JSON. */
  body?: unknown;
  /** The HTTP status answered, `dropped` for a destroyed connection, `pending` while in flight. */
  status: number | 'dropped' | 'pending';
  /** The injected misbehaviour, if any. */
  fault?: FaultKind | 'rate-limit';
  /** For a dropped write: whether it was applied before the connection was destroyed. */
  applied?: boolean;
  /** The envelope's `success` for /api/v1 answers (and `status === 200` for /authentication). */
  success?: boolean;
  /** The envelope's `errors` (or the authentication `message`) when it failed. */
  error?: string;
}

/** A started sandbox. Stop it with `stop()`; tests should do so in `afterEach`/`afterAll`. */
export interface RunningSandbox {
  port: number;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `url + '/api/v1'`: what `--base-url` should be. */
  baseUrl: string;
  /** `url + '/authentication'`: what `--auth-url` should be. */
  authUrl: string;
  /** Every request so far, in arrival order (empty when `record: false`). Tests may clear it with `length = 0`. */
  requests: RecordedRequest[];
  /** A deep copy of the current data. */
  data(): SandboxData;
  /** Writes the data file now (no-op without `data`). */
  save(): Promise<void>;
  setLatency(latencyMs: number): void;
  setRateLimit(rateLimit: number | undefined): void;
  setFailRate(failRate: number, faultKinds?: FaultKind[]): void;
  /** Forces a fault onto the next `count` requests (default 1), before any random choice. */
  failNext(fault: ForcedFault, count?: number): void;
  /** Closes the server and every connection, then writes the data file. Safe to call twice. */
  stop(): Promise<void>;
}

/** Throws a RangeError naming the first option out of range. */
export function checkOptions(options: SandboxOptions): void {
  const { port, latencyMs, rateLimit, failRate, slowMs, faultKinds } = options;
  if (typeof options.token !== 'string' || options.token === '') throw new RangeError('token: must be given');
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new RangeError('port: must be a whole number from 0 to 65535');
  }
  for (const [name, value] of Object.entries({ latencyMs, rateLimit, slowMs })) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${name}: must be a number ≥ 0`);
    }
  }
  checkFailRate(failRate, faultKinds);
}

export function checkFailRate(failRate: number | undefined, faultKinds: FaultKind[] | undefined): void {
  if (failRate !== undefined && !(Number.isFinite(failRate) && failRate >= 0 && failRate <= 1)) {
    throw new RangeError('failRate: must be a number from 0 to 1');
  }
  if (faultKinds?.some((kind) => !FAULT_KINDS.includes(kind))) {
    throw new RangeError(`faultKinds: each must be one of ${FAULT_KINDS.join(', ')}`);
  }
}
