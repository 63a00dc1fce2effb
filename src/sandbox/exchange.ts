import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord } from './input.js';

/** Bodies above this are refused with 413; far above any real call (a 10k-agent add_agents is ~100 kB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The request body: a JSON object (empty when no body), or why it could not be read. */
export type RequestBody =
  | { kind: 'json'; value: Record<string, unknown>; raw: unknown }
  | { kind: 'malformed' }
  | { kind: 'too-large' };

/** Reads the whole body. A JSON value that is not an object counts as an empty object (no token in it). */
export async function readBody(request: IncomingMessage): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) return { kind: 'too-large' };
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { kind: 'json', value: {}, raw: undefined };
  try {
    const raw: unknown = JSON.parse(text);
    return { kind: 'json', value: isRecord(raw) ? raw : {}, raw };
  } catch {
    return { kind: 'malformed' };
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  response.end(payload);
}

/** The `server-error` fault: what a proxy in front of a failing server sends, deliberately not JSON. */
export function sendServerErrorPage(response: ServerResponse): void {
  const page =
    '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>\n';
  response.writeHead(500, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
  });
  response.end(page);
}

/** The path and query as recorded and logged: the `token` parameter removed, so no log line can hold it. */
export function pathWithoutToken(url: URL): string {
  const query = new URLSearchParams(url.search);
  query.delete('token');
  const rest = query.toString();
  return rest === '' ? url.pathname : `${url.pathname}?${rest}`;
}
