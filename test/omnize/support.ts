import nock from 'nock';
import { OmnizeClient } from '../../src/omnize/client.js';
import type { OmnizeClientOptions } from '../../src/omnize/types.js';

// Every test that loads this file talks to nock only: a request nobody expected fails instead of leaving the machine.
nock.disableNetConnect();

/** The document's own URLs. */
export const PARTNER_ORIGIN = 'http://partner.omnize.com';
export const BASE_URL = `${PARTNER_ORIGIN}/api/v1`;
export const AUTH_ORIGIN = 'https://ca1vsqktff.execute-api.us-east-1.amazonaws.com';
export const AUTH_URL = `${AUTH_ORIGIN}/prod/authentication`;

/** What the fake server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Query parameter names in the order sent. */
  queryOrder: string[];
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  contentType: string | null;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
}

/**
 * Answers the next `method path` request (any query) on `origin` with
 * `answer`, and resolves to what the request held. nock 15 hands the reply
 * callback one fetch Request.
 */
export function expectRequest(
  method: string,
  path: string,
  answer: unknown,
  reply: Reply = {},
  origin = PARTNER_ORIGIN,
): Promise<SeenRequest> {
  return new Promise((resolve) => {
    nock(origin)
      .intercept(path, method)
      .query(true)
      .reply(async (request: Request) => {
        const url = new URL(request.url);
        const text = await request.text();
        resolve({
          method: request.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          queryOrder: [...url.searchParams.keys()],
          body: text === '' ? undefined : JSON.parse(text),
          contentType: request.headers.get('content-type'),
        });
        return [reply.status ?? 200, answer as nock.Body, reply.headers ?? {}];
      });
  });
}

export function makeClient(overrides: Partial<OmnizeClientOptions> = {}): OmnizeClient {
  return new OmnizeClient({
    baseUrl: BASE_URL,
    authUrl: AUTH_URL,
    token: 'hj4h2k3h4k23',
    timeoutMs: 5_000,
    ...overrides,
  });
}
