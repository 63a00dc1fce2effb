import { TransientApiError } from './errors.js';
import type { ExchangeFailure } from './http-send.js';

/** Error codes that mean the request never left this machine or never reached a server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies what fetch threw. A timeout may strike after the body was sent,
 * and a connection dropped mid-exchange may have been processed, so both
 * leave the outcome unknown; a refused connection or a failed DNS lookup
 * surely did not reach the API. Anything that is not a fetch failure is a
 * bug and is thrown as it is.
 */
export function failureOfFetch(
  endpoint: string,
  error: unknown,
  phase: 'before-answer' | 'during-answer',
): unknown {
  if (isTimeout(error)) {
    return new TransientApiError(endpoint, { cause: 'timeout', outcomeUnknown: true, detail: error.name });
  }
  if (!(error instanceof TypeError)) return error;
  return networkFailure(endpoint, errorCode(error.cause), error.message, phase);
}

/** What an exchange failure means; node:http reports the network's own error, which fetch wraps in a TypeError. */
export function failureOfExchange(endpoint: string, failure: ExchangeFailure): unknown {
  const { cause, phase } = failure;
  if (isTimeout(cause) || cause instanceof TypeError) return failureOfFetch(endpoint, cause, phase);
  const message = cause instanceof Error ? cause.message : String(cause);
  return networkFailure(endpoint, errorCode(cause), message, phase);
}

function isTimeout(error: unknown): error is Error {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function networkFailure(
  endpoint: string,
  code: string | undefined,
  message: string,
  phase: 'before-answer' | 'during-answer',
): TransientApiError {
  const surelyNotSent = phase === 'before-answer' && code !== undefined && NOT_SENT_CODES.has(code);
  return new TransientApiError(endpoint, {
    cause: 'network',
    outcomeUnknown: !surelyNotSent,
    detail: code ?? message,
  });
}

/** The errno-style code of a network error; a failed happy-eyeballs connect hides it in `errors`. */
function errorCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, errors } = cause as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}
