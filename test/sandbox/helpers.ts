import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

export const TOKEN = 'sandbox-test-token-5f2c';

/** The SHA-256 digest a client sends for a plain password. */
export function digestOf(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

export const PASSWORD = digestOf('Senha-de-teste-1');

/** What a request answered: the HTTP status, the parsed JSON body, and the headers. */
export interface Exchange {
  httpStatus: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field in the tests.
  body: any;
  headers: Headers;
}

/** The parsed JSON of an answer, loosely typed: tests check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export async function jsonOf(response: Response): Promise<any> {
  return response.json();
}

const running: RunningSandbox[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.stop()));
});

/** Starts a sandbox on a free port for one test; it is stopped after the test. */
export async function sandboxFor(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ token: TOKEN, port: 0, ...options });
  running.push(sandbox);
  return sandbox;
}

/** A plain fetch client speaking the document's conventions: token in the body, or `?token=` for GET. */
export function clientFor(sandbox: RunningSandbox, token = TOKEN) {
  const send = async (method: string, path: string, body: Record<string, unknown>): Promise<Exchange> => {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, ...body }),
    });
    return { httpStatus: response.status, body: await response.json(), headers: response.headers };
  };
  return {
    post: (path: string, body: Record<string, unknown> = {}) => send('POST', path, body),
    put: (path: string, body: Record<string, unknown> = {}) => send('PUT', path, body),
    delete: (path: string, body: Record<string, unknown> = {}) => send('DELETE', path, body),
    get: async (path: string, query: Record<string, string | number> = {}): Promise<Exchange> => {
      const search = new URLSearchParams({
        token,
        ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
      });
      const response = await fetch(`${sandbox.baseUrl}${path}?${search}`);
      return { httpStatus: response.status, body: await response.json(), headers: response.headers };
    },
  };
}

export type Client = ReturnType<typeof clientFor>;

/** A small world most tests start from: two accounts, three agents, one department. */
export const WORLD = {
  accounts: [
    { id: 1000, email: 'contato@acme.com.br', main_contact: 'Ana Lúcia', license_quantity: 5 },
    { id: 1001, email: 'contato@beta.com.br', main_contact: 'Bruno Sá', license_quantity: 2 },
  ],
  agents: [
    {
      id: 10000,
      account_id: 1000,
      email: 'ana@acme.com.br',
      name: 'Ana Lúcia',
      administrator: 'SIM' as const,
    },
    { id: 10001, account_id: 1000, email: 'caio@acme.com.br', name: 'Caio Araújo' },
    { id: 10002, account_id: 1001, email: 'bruno@beta.com.br', name: 'Bruno Sá' },
  ],
  departments: [
    { id: 500, account_id: 1000, name: 'Vendas', channels: ['chat' as const], agent_ids: [10000] },
  ],
};

/** A seeded, deterministic random source (mulberry32), for fault choices that tests can repeat. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
