import { FatalApiError } from '../errors.js';

/**
 * The ways one Partner API request can fail, as the executor needs to tell
 * them apart: retry (`TransientApiError`), record and go on
 * (`ApiRejectedError`, `ApiProtocolError`), or stop the run
 * (`InvalidTokenError`).
 *
 * `endpoint` is always `METHOD /path` without the query string, so no token
 * can be in it; no error of this module carries a request body, a token or a
 * password in any field.
 */

/** The API answered `success: false` for this request only: permanent, the API's words kept verbatim. */
export class ApiRejectedError extends Error {
  override name = 'ApiRejectedError';
  /** The `errors` (or `message`) text of the answer, exactly as the API wrote it. */
  readonly apiMessage: string;
  readonly endpoint: string;

  constructor(endpoint: string, apiMessage: string) {
    super(`${endpoint} was rejected by the Partner API: ${apiMessage}`);
    this.endpoint = endpoint;
    this.apiMessage = apiMessage;
  }
}

/** The API answered "Invalid token": every further request would fail too, so the whole run stops (exit 1). */
export class InvalidTokenError extends FatalApiError {
  override name = 'InvalidTokenError';
  readonly apiMessage: string;
  readonly endpoint: string;

  constructor(endpoint: string, apiMessage: string) {
    super(`the Partner API refused the partner token ("${apiMessage}") on ${endpoint}; check --token-file`);
    this.endpoint = endpoint;
    this.apiMessage = apiMessage;
  }
}

/** Why a transient failure happened; `http-5xx` covers every status from 500 to 599. */
export type TransientCause = 'network' | 'timeout' | 'http-429' | 'http-5xx';

export interface TransientDetails {
  cause: TransientCause;
  /** True when the request may have reached the server and been applied; false when it surely was not. */
  outcomeUnknown: boolean;
  /** From a `Retry-After` header, when the answer had one. */
  retryAfterMs?: number;
  httpStatus?: number;
  /** A short technical reason (an errno code such as `ECONNREFUSED`), never a URL or a body. */
  detail?: string;
}

/**
 * A failure that may go away when the same request is sent again: a network
 * error, a timeout, HTTP 429 or 5xx. Whether re-sending is safe depends on
 * `outcomeUnknown`: a create that may have been applied must be looked up
 * before it is sent again (CONTRACT §6).
 */
export class TransientApiError extends Error {
  override name = 'TransientApiError';
  /** The kind of failure (shadows the standard `Error.cause`, which this class does not use). */
  override readonly cause: TransientCause;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | undefined;
  readonly httpStatus: number | undefined;
  readonly endpoint: string;

  constructor(endpoint: string, details: TransientDetails) {
    super(`${endpoint} failed for now (${describeTransient(details)})`);
    this.endpoint = endpoint;
    this.cause = details.cause;
    this.outcomeUnknown = details.outcomeUnknown;
    this.retryAfterMs = details.retryAfterMs;
    this.httpStatus = details.httpStatus;
  }
}

function describeTransient(details: TransientDetails): string {
  const parts: string[] = [details.httpStatus === undefined ? details.cause : `HTTP ${details.httpStatus}`];
  if (details.detail !== undefined) parts.push(details.detail);
  if (details.retryAfterMs !== undefined) parts.push(`retry after ${details.retryAfterMs} ms`);
  if (details.outcomeUnknown) parts.push('the request may have been applied');
  return parts.join(', ');
}

/**
 * An answer that is not the documented JSON (an HTML page with HTTP 200, a 404,
 * an object without the fields the program needs): permanent, sending the same
 * request again would not help.
 */
export class ApiProtocolError extends Error {
  override name = 'ApiProtocolError';
  readonly endpoint: string;
  readonly httpStatus: number;
  /** True when the server answered 2xx: it may have applied the request even though the answer is unreadable. */
  readonly outcomeUnknown: boolean;

  constructor(endpoint: string, httpStatus: number, problem: string) {
    super(`${endpoint}: unexpected answer from the Partner API (HTTP ${httpStatus}): ${problem}`);
    this.endpoint = endpoint;
    this.httpStatus = httpStatus;
    this.outcomeUnknown = httpStatus >= 200 && httpStatus < 300;
  }
}

/** Whether the executor may retry this error (after a lookup when its outcome is unknown). */
export function isTransient(error: unknown): error is TransientApiError {
  return error instanceof TransientApiError;
}

/**
 * `Retry-After` in milliseconds from `now`: either delay-seconds or an
 * HTTP-date (RFC 9110 §10.2.3). A date in the past gives 0; anything else
 * unreadable gives undefined.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
