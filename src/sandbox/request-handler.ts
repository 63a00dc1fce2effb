import { setMaxListeners } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { redactSecrets } from '../log/redact.js';
import { Authenticator } from './authentication.js';
import { documentTimestamp } from './data.js';
import { pathWithoutToken, type RequestBody, readBody, sendJson, sendServerErrorPage } from './exchange.js';
import { SANDBOX_ERRORS } from './messages.js';
import type { RecordedRequest, SandboxOptions } from './options.js';
import { AUTHENTICATION_PATH, matchRoute } from './routes.js';
import type { SandboxStore } from './store.js';
import { FAULT_KINDS, FaultInjector, RateLimiter } from './traffic.js';
import { envelope, failure } from './wire.js';

const DEFAULT_SLOW_MS = 2000;

/** What the server sends for one request, with what the record should say about it. */
interface Reply {
  status: number;
  payload: unknown;
  success?: boolean;
  error?: string;
}

/** One request's path through the sandbox: record, rate limit, latency, fault, then the document's answer. */
export class RequestHandler {
  readonly requests: RecordedRequest[] = [];
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  latencyMs: number;
  private readonly slowMs: number;
  private readonly authenticator: Authenticator;
  /** Ends every request's latency wait at stop; one listener per request in flight, so no listener cap. */
  private readonly stopped = unboundedAbortController();
  private readonly startedAt = performance.now();

  constructor(
    readonly store: SandboxStore,
    private readonly options: SandboxOptions,
  ) {
    this.limiter = new RateLimiter(options.rateLimit);
    this.faults = new FaultInjector(
      options.failRate ?? 0,
      options.faultKinds ?? FAULT_KINDS,
      options.random ?? Math.random,
    );
    this.latencyMs = options.latencyMs ?? 0;
    this.slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
    this.authenticator = new Authenticator(store, options.token);
  }

  readonly listener = (request: IncomingMessage, response: ServerResponse): void => {
    void this.serve(request, response);
  };

  /** Abandons the waits of requests in flight, so stop() does not wait for slow answers. */
  shutDown(): void {
    this.stopped.abort();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrival = performance.now();
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: pathWithoutToken(url),
      at: arrival - this.startedAt,
      status: 'pending',
    };
    if (this.options.record !== false) this.requests.push(record);
    try {
      const body = await readBody(request);
      if (body.kind === 'json' && body.raw !== undefined) record.body = redactSecrets(body.raw);
      const retryAfter = this.limiter.admit(arrival);
      if (retryAfter !== undefined) {
        record.fault = 'rate-limit';
        const payload = { status: 429, success: false, errors: SANDBOX_ERRORS.rateLimited };
        this.send(
          response,
          record,
          { status: 429, payload, success: false, error: payload.errors },
          retryAfter,
        );
        return;
      }
      if (this.latencyMs > 0) await delay(this.latencyMs, undefined, { signal: this.stopped.signal });
      await this.answerWithFaults(request, response, url, body, record);
    } catch (error) {
      if (this.stopped.signal.aborted) {
        request.socket.destroy();
        record.status = 'dropped';
      } else {
        const message = `${SANDBOX_ERRORS.internalError}: ${(error as Error).message}`;
        this.send(response, record, {
          status: 500,
          payload: { status: 500, success: false, errors: message },
        });
      }
    } finally {
      this.options.onRequest?.(record);
    }
  }

  private async answerWithFaults(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: RequestBody,
    record: RecordedRequest,
  ): Promise<void> {
    const fault = this.faults.decide();
    if (fault.kind === 'server-error') {
      record.fault = fault.kind;
      record.status = 500;
      sendServerErrorPage(response);
      return;
    }
    if (fault.kind === 'drop') {
      record.fault = fault.kind;
      if (matchRoute(record.method, url.pathname)?.write === true) {
        record.applied = fault.applyWriteFirst;
        if (fault.applyWriteFirst) this.reply(record.method, url, body);
      }
      record.status = 'dropped';
      request.socket.destroy();
      return;
    }
    if (fault.kind === 'slow') {
      record.fault = fault.kind;
      await delay(this.slowMs, undefined, { signal: this.stopped.signal });
    }
    this.send(response, record, this.reply(record.method, url, body));
  }

  /** The document's answer to a request, applying it to the store when it is a valid write. */
  private reply(method: string, url: URL, body: RequestBody): Reply {
    if (body.kind === 'malformed') return refusal(400, SANDBOX_ERRORS.malformedJson);
    if (body.kind === 'too-large') return refusal(413, SANDBOX_ERRORS.bodyTooLarge);
    if (url.pathname.replace(/\/$/, '') === AUTHENTICATION_PATH && method === 'POST') {
      const answer = this.authenticator.answer(body.value, Math.floor(Date.now() / 1000));
      return {
        status: 200,
        payload: answer,
        success: answer.status === 200,
        error: answer.message || undefined,
      };
    }
    const route = matchRoute(method, url.pathname);
    if (route === undefined) return refusal(404, SANDBOX_ERRORS.routeNotFound);
    // The document: the token travels in the JSON body, except for GET where it is `?token=`.
    const token = method === 'GET' ? url.searchParams.get('token') : body.value.token;
    const answer =
      token === this.options.token
        ? route.handle({
            store: this.store,
            id: route.id,
            body: body.value,
            query: url.searchParams,
            now: documentTimestamp(new Date()),
          })
        : failure(SANDBOX_ERRORS.invalidToken);
    return {
      status: 200,
      payload: envelope(answer),
      success: answer.ok,
      error: answer.ok ? undefined : answer.error,
    };
  }

  private send(response: ServerResponse, record: RecordedRequest, reply: Reply, retryAfter?: number): void {
    record.status = reply.status;
    if (reply.success !== undefined) record.success = reply.success;
    if (reply.error !== undefined) record.error = reply.error;
    sendJson(
      response,
      reply.status,
      reply.payload,
      retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
    );
  }
}

function refusal(status: number, error: string): Reply {
  return { status, payload: { status, success: false, errors: error }, success: false, error };
}

/** Node warns (MaxListenersExceededWarning) past 10 listeners on a signal: the sandbox has one per request waiting. */
function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
