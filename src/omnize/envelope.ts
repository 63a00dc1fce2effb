import { ApiProtocolError, ApiRejectedError, InvalidTokenError } from './errors.js';
import type { JsonAnswer } from './transport.js';

/**
 * Reading the two answer envelopes of the document. The Partner API answers
 * HTTP 200 for failures too, so success is told by the body alone:
 * `{status, success: true, data}` or `{status, success: false, errors}`.
 * The "Url login" endpoint answers `{message, token, status}` instead.
 */

/** The exact text of the document's fatal answer; compared case-insensitively and trimmed. */
const INVALID_TOKEN = 'invalid token';

/** The `data` of a `success: true` answer (undefined when it has none); throws the matching error otherwise. */
export function dataOf(answer: JsonAnswer): unknown {
  const { json, httpStatus, endpoint } = answer;
  if (!isRecord(json) || typeof json.success !== 'boolean') {
    throw new ApiProtocolError(endpoint, httpStatus, 'the answer has no boolean "success"');
  }
  if (json.success === false) throw rejection(endpoint, json.errors ?? json.message);
  if (httpStatus < 200 || httpStatus > 299) {
    throw new ApiProtocolError(endpoint, httpStatus, 'success reported with an error status');
  }
  return json.data;
}

/** The JWT of a "Url login" answer; a `status` other than 200 or an empty token is a rejection. */
export function loginTokenOf(answer: JsonAnswer): string {
  const { json, httpStatus, endpoint } = answer;
  if (!isRecord(json)) throw new ApiProtocolError(endpoint, httpStatus, 'the answer is not a JSON object');
  const status = json.status === undefined ? httpStatus : Number(json.status);
  const token = typeof json.token === 'string' ? json.token.trim() : '';
  if (status === 200 && httpStatus === 200 && token !== '') return token;
  const message = typeof json.message === 'string' && json.message.trim() !== '' ? json.message : undefined;
  throw rejection(endpoint, message ?? `no login token in the answer (status ${String(json.status)})`);
}

/** The error for a refusal: "Invalid token" stops the run, anything else fails this request only. */
function rejection(endpoint: string, errors: unknown): Error {
  const messages = messagesOf(errors);
  const apiMessage = messages.length > 0 ? messages.join('; ') : 'the API gave no reason';
  if (messages.some((message) => message.trim().toLowerCase() === INVALID_TOKEN)) {
    return new InvalidTokenError(endpoint, apiMessage);
  }
  return new ApiRejectedError(endpoint, apiMessage);
}

/** `errors` is a string in the document; a list or a `{field: [messages]}` object is read as well. */
function messagesOf(errors: unknown): string[] {
  if (errors === undefined || errors === null) return [];
  if (typeof errors === 'string') return errors === '' ? [] : [errors];
  if (Array.isArray(errors)) return errors.flatMap((item) => messagesOf(item));
  if (isRecord(errors)) {
    return Object.entries(errors).flatMap(([field, inner]) =>
      messagesOf(inner).map((message) => `${field}: ${message}`),
    );
  }
  return [String(errors)];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
