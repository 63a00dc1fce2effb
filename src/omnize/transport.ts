import type { Logger } from '../log/logger.js';
import { ApiProtocolError, parseRetryAfter, TransientApiError } from './errors.js';
import { type KeepItem, readListAnswer } from './list-answer.js';

/** The verbs the Partner API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request, before the partner token is added to it. */
export interface OutgoingRequest {
  method: HttpMethod;
  /** The full URL without the token; the query holds the other parameters of a GET. */
  url: URL;
  /** The JSON body without the token (POST, PUT, DELETE). */
  body?: Record<string, unknown>;
  /** Where the token goes: the document puts it in the query for GET and in the body otherwise. */
  tokenIn: 'query' | 'body';
  /**
   * For a list answer of large items: what to keep of each item of its `data`. The answer is then
   * read as it arrives (list-answer.ts), never held whole as text or as parsed JSON.
   */
  keepItem?: KeepItem;
}

/** An answer that came back with JSON in it; HTTP-level failures have been thrown already. */
export interface JsonAnswer {
  httpStatus: number;
  json: unknown;
  /** `METHOD /path`, for error messages. */
  endpoint: string;
}

/** What is logged and reported for each request: nothing in it is secret. */
export interface RequestRecord {
  method: HttpMethod;
  /** Path and the query parameters other than the token. */
  path: string;
  durationMs: number;
  /** `ok`, or the name of the error class that ended the request (with its transient cause). */
  outcome: string;
}

export interface TransportSettings {
  token: string;
  timeoutMs: number;
  logger: Logger;
  fetch: typeof fetch | undefined;
  onRequest: ((record: RequestRecord) => void) | undefined;
}

/**
 * Sends exactly one HTTP request per call, with a timeout, and turns what
 * happens into either a `JsonAnswer` or one of the errors of errors.ts.
 * Holds no retry and no rate logic: the executor wraps the client.
 */
export class Transport {
  private plainHttpWarned = false;

  constructor(private readonly settings: TransportSettings) {}

  /** Sends the request and hands the JSON answer to `interpret`, logging the outcome either way. */
  async exchange<T>(request: OutgoingRequest, interpret: (answer: JsonAnswer) => T): Promise<T> {
    this.warnOnPlainHttp(request.url);
    const started = performance.now();
    let outcome = 'ok';
    try {
      return interpret(await this.send(request));
    } catch (error) {
      outcome = outcomeName(error);
      throw error;
    } finally {
      this.record({
        method: request.method,
        path: `${request.url.pathname}${request.url.search}`,
        durationMs: Math.round(performance.now() - started),
        outcome,
      });
    }
  }

  private record(record: RequestRecord): void {
    this.settings.logger.debug(record, 'partner api request');
    this.settings.onRequest?.(record);
  }

  private async send(request: OutgoingRequest): Promise<JsonAnswer> {
    const endpoint = `${request.method} ${request.url.pathname}`;
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    const fetchFunction = this.settings.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchFunction(this.withToken(request.url, request.tokenIn), {
        method: request.method,
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body:
          request.tokenIn === 'body' ? JSON.stringify({ token: this.settings.token, ...request.body }) : null,
        // Following a redirect would turn a POST into a GET and could carry the token to another host.
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw failureOfFetch(endpoint, error, 'before-answer');
    }
    let body: AnswerBody;
    try {
      body = await readBody(response, request.keepItem);
    } catch (error) {
      throw failureOfFetch(endpoint, error, 'during-answer');
    }
    return readAnswer(endpoint, response, body);
  }

  /** The token leads the query, as in the document's examples (`?token=…&account_id=1`). */
  private withToken(url: URL, tokenIn: 'query' | 'body'): URL {
    if (tokenIn === 'body') return url;
    const withToken = new URL(url);
    const parameters = new URLSearchParams({ token: this.settings.token });
    for (const [name, value] of url.searchParams) parameters.append(name, value);
    withToken.search = parameters.toString();
    return withToken;
  }

  private warnOnPlainHttp(url: URL): void {
    if (this.plainHttpWarned || url.protocol !== 'http:' || isLoopbackHost(url.hostname)) return;
    this.plainHttpWarned = true;
    this.settings.logger.warn(
      { host: url.host },
      `the partner token is sent over plain http to ${url.host}; anyone on the way can read it`,
    );
  }
}

/** The JSON value of an answer's body, read to its end; throws a SyntaxError when it is not JSON. */
type AnswerBody = () => unknown;

/** Reads the whole body (a failure here is the network's), leaving the JSON checks to `readAnswer`. */
async function readBody(response: Response, keepItem: KeepItem | undefined): Promise<AnswerBody> {
  if (keepItem !== undefined && response.body !== null) return readListAnswer(response.body, keepItem);
  const text = await response.text();
  return () => JSON.parse(text);
}

function readAnswer(endpoint: string, response: Response, body: AnswerBody): JsonAnswer {
  const httpStatus = response.status;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (httpStatus === 429) {
    // A 429 is the server declining before doing anything: sending again is safe.
    throw new TransientApiError(endpoint, {
      cause: 'http-429',
      outcomeUnknown: false,
      retryAfterMs,
      httpStatus,
    });
  }
  if (httpStatus >= 500 && httpStatus <= 599) {
    throw new TransientApiError(endpoint, {
      cause: 'http-5xx',
      outcomeUnknown: true,
      retryAfterMs,
      httpStatus,
    });
  }
  if (httpStatus >= 300 && httpStatus <= 399) {
    throw new ApiProtocolError(
      endpoint,
      httpStatus,
      `redirected to ${whereTo(response)}; configure that URL instead`,
    );
  }
  let json: unknown;
  try {
    json = body();
  } catch {
    const contentType = response.headers.get('content-type') ?? 'no content type';
    throw new ApiProtocolError(endpoint, httpStatus, `the answer is not JSON (${contentType})`);
  }
  return { httpStatus, json, endpoint };
}

/** A redirect's target without its query, which may repeat the token. */
function whereTo(response: Response): string {
  const location = response.headers.get('location');
  if (location === null) return 'nowhere';
  try {
    const target = new URL(location, response.url || undefined);
    return `${target.origin}${target.pathname}`;
  } catch {
    return 'an unreadable location';
  }
}

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
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new TransientApiError(endpoint, { cause: 'timeout', outcomeUnknown: true, detail: error.name });
  }
  if (!(error instanceof TypeError)) return error;
  const code = errorCode(error.cause);
  const surelyNotSent = phase === 'before-answer' && code !== undefined && NOT_SENT_CODES.has(code);
  return new TransientApiError(endpoint, {
    cause: 'network',
    outcomeUnknown: !surelyNotSent,
    detail: code ?? error.message,
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

function outcomeName(error: unknown): string {
  if (error instanceof TransientApiError) return `${error.name}:${error.cause}`;
  return error instanceof Error ? error.name : 'unknown';
}

/** 127.0.0.0/8, `localhost` (and its subdomains, RFC 6761) and ::1: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}
