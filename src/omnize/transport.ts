import type { Logger } from '../log/logger.js';
import { ApiProtocolError, parseRetryAfter, TransientApiError } from './errors.js';
import { failureOfExchange } from './exchange-failures.js';
import {
  ExchangeFailure,
  sendOverFetch,
  sendOverHttp,
  type WireAnswer,
  type WireRequest,
} from './http-send.js';
import type { KeepItem } from './list-answer.js';

export { failureOfFetch } from './exchange-failures.js';

/** The headers fetch sent (its own defaults included), so moving off fetch changed nothing on the wire. */
const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  accept: 'application/json',
  'content-type': 'application/json',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
};

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
  /** The hosts whose scheme was looked at: once each, not on every request (a loopback host never warns). */
  private readonly hostsLookedAt = new Set<string>();

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
    const wire: WireRequest = {
      method: request.method,
      url: this.withToken(request.url, request.tokenIn),
      headers: REQUEST_HEADERS,
      body:
        request.tokenIn === 'body' ? JSON.stringify({ token: this.settings.token, ...request.body }) : null,
      timeoutMs: this.settings.timeoutMs,
      ...(request.keepItem && { keepItem: request.keepItem }),
    };
    let answer: WireAnswer;
    try {
      const { fetch } = this.settings;
      answer = fetch === undefined ? await sendOverHttp(wire) : await sendOverFetch(wire, fetch);
    } catch (error) {
      if (!(error instanceof ExchangeFailure)) throw error;
      throw failureOfExchange(endpoint, error);
    }
    return readAnswer(endpoint, answer);
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
    if (this.plainHttpWarned || url.protocol !== 'http:' || this.hostsLookedAt.has(url.hostname)) return;
    this.hostsLookedAt.add(url.hostname);
    if (isLoopbackHost(url.hostname)) return;
    this.plainHttpWarned = true;
    this.settings.logger.warn(
      { host: url.host },
      `the partner token is sent over plain http to ${url.host}; anyone on the way can read it`,
    );
  }
}

function readAnswer(endpoint: string, response: WireAnswer): JsonAnswer {
  const httpStatus = response.status;
  const retryAfterMs = parseRetryAfter(response.header('retry-after'));
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
    json = response.body();
  } catch {
    const contentType = response.header('content-type') ?? 'no content type';
    throw new ApiProtocolError(endpoint, httpStatus, `the answer is not JSON (${contentType})`);
  }
  return { httpStatus, json, endpoint };
}

/** A redirect's target without its query, which may repeat the token. */
function whereTo(response: WireAnswer): string {
  const location = response.header('location');
  if (location === null) return 'nowhere';
  try {
    const target = new URL(location, response.url || undefined);
    return `${target.origin}${target.pathname}`;
  } catch {
    return 'an unreadable location';
  }
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
