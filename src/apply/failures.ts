import { RetriesExhausted } from '../limits/retry.js';
import { redactString } from '../log/redact.js';
import {
  ApiProtocolError,
  ApiRejectedError,
  InvalidTokenError,
  TransientApiError,
} from '../omnize/errors.js';
import type { ActionError, StopReason } from './types.js';

/** Thrown instead of sending a request once the run has stopped; never retried. */
export class RunStopped extends Error {
  override name = 'RunStopped';
  constructor(readonly reason: StopReason) {
    super(`the run stopped (${reason}) before this request was sent`);
  }
}

/** The state store refused a write: the run stops, since what it sends could no longer be remembered. */
export class StateStoreWriteError extends Error {
  override name = 'StateStoreWriteError';
}

/** Whether a failed request may nevertheless have been applied by the API. */
export function mayHaveApplied(error: unknown): boolean {
  const inner = unwrap(error);
  return (
    (inner instanceof TransientApiError || inner instanceof ApiProtocolError) && inner.outcomeUnknown === true
  );
}

/** The error a retry wrapper ended with, unwrapped to the request's own failure. */
export function unwrap(error: unknown): unknown {
  if (error instanceof RetriesExhausted) return error.lastError;
  return error;
}

/** Plain, secret-free data for an outcome, an event or a report; a rejection keeps the API's words verbatim. */
export function describeError(error: unknown): ActionError {
  const inner = unwrap(error);
  if (inner instanceof ApiRejectedError) {
    return { kind: 'rejected', message: redactString(inner.apiMessage), endpoint: inner.endpoint };
  }
  if (inner instanceof InvalidTokenError) return withEndpoint('invalid-token', inner.message, inner.endpoint);
  if (inner instanceof TransientApiError) return withEndpoint('transient', inner.message, inner.endpoint);
  if (inner instanceof ApiProtocolError) return withEndpoint('protocol', inner.message, inner.endpoint);
  if (inner instanceof RunStopped) return { kind: 'stopped', message: inner.message };
  return { kind: 'internal', message: redactString(inner instanceof Error ? inner.message : String(inner)) };
}

function withEndpoint(kind: ActionError['kind'], message: string, endpoint: string): ActionError {
  return { kind, message: redactString(message), endpoint };
}

/** HTTP 429 asks the client to slow down; it says nothing about whether writes work. */
export function isThrottling(error: unknown): boolean {
  return error instanceof TransientApiError && error.cause === 'http-429';
}
