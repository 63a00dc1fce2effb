import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseRetryAfter, TransientApiError } from '../../src/omnize/errors.js';
import { loginLink, OmnizeClient, sha256Hex, widgetSnippet } from '../../src/omnize/index.js';
import { isSha256Hex } from '../../src/omnize/password.js';
import { failureOfFetch, isLoopbackHost } from '../../src/omnize/transport.js';
import { capturingLogger } from './capture.js';

describe('sha256Hex', () => {
  it('gives the 64 lower-case hex characters of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // The UTF-8 bytes of ç and ã, not their Latin-1 ones.
    expect(sha256Hex('senha-ção')).toBe(
      createHash('sha256').update(Buffer.from('senha-ção', 'utf8')).digest('hex'),
    );
    expect(sha256Hex('senha-ção')).not.toBe(
      createHash('sha256').update(Buffer.from('senha-ção', 'latin1')).digest('hex'),
    );
    expect(isSha256Hex(sha256Hex(''))).toBe(true);
    expect(isSha256Hex(sha256Hex('abc').toUpperCase())).toBe(false);
  });
});

describe('loginLink', () => {
  it('is the document link for a JWT', () => {
    expect(loginLink('https://login.omnize.com.br', 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVaRp5D0e3')).toBe(
      'https://login.omnize.com.br?token=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVaRp5D0e3',
    );
  });

  it('URL-encodes the JWT and respects a query already in the login URL', () => {
    expect(loginLink('https://login.example/?lang=pt', 'a+b/c=')).toBe(
      'https://login.example/?lang=pt&token=a%2Bb%2Fc%3D',
    );
  });
});

describe('widgetSnippet', () => {
  it("is the document's snippet for the account, with the comment in correct UTF-8", () => {
    const snippet = widgetSnippet(3373);
    expect(snippet.startsWith('<!-- Início do script Omnize -->\n  <script>\n')).toBe(true);
    expect(snippet).not.toContain('Ã');
    expect(snippet).toContain(
      "var JSLink=location.protocol+'//widget.omnize.com',JSElement=document.createElement('script');",
    );
    expect(snippet).toContain('\n        wOmz.init({id:3373});\n');
    expect(snippet.endsWith('  </script>\n<!-- Fim do script Omnize -->')).toBe(true);
    expect(Buffer.from(snippet, 'utf8').includes(Buffer.from([0x49, 0x6e, 0xc3, 0xad, 0x63]))).toBe(true);
  });

  it('refuses what is not an account ID', () => {
    expect(() => widgetSnippet(0)).toThrow(UsageError);
    expect(() => widgetSnippet(1.5)).toThrow(UsageError);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
  });

  it('gives 0 for a date in the past and undefined for nothing or nonsense', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('failureOfFetch', () => {
  const failed = (cause: unknown) => new TypeError('fetch failed', { cause });

  it.each([
    ['ENOTFOUND', false],
    ['EAI_AGAIN', false],
    ['ECONNREFUSED', false],
    ['EHOSTUNREACH', false],
    ['UND_ERR_CONNECT_TIMEOUT', false],
    ['ECONNRESET', true],
    ['UND_ERR_SOCKET', true],
    ['EPIPE', true],
  ])('a network error %s before the answer has outcomeUnknown %s', (code, outcomeUnknown) => {
    const error = failureOfFetch('GET /agents', failed({ code }), 'before-answer');
    expect(error).toBeInstanceOf(TransientApiError);
    expect(error).toMatchObject({ cause: 'network', outcomeUnknown });
  });

  it('finds the code of a connection that failed on every address', () => {
    const error = failureOfFetch(
      'GET /agents',
      failed(new AggregateError([{ code: 'ECONNREFUSED' }])),
      'before-answer',
    );
    expect(error).toMatchObject({ outcomeUnknown: false });
  });

  it('takes any failure while the answer is read as an unknown outcome', () => {
    expect(failureOfFetch('POST /agents', failed({ code: 'ECONNREFUSED' }), 'during-answer')).toMatchObject({
      outcomeUnknown: true,
    });
  });

  it('passes errors that are not fetch failures through unchanged', () => {
    const bug = new RangeError('a bug');
    expect(failureOfFetch('GET /agents', bug, 'before-answer')).toBe(bug);
  });
});

describe('plain http', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.10.0.3', true],
    ['localhost', true],
    ['api.localhost', true],
    ['[::1]', true],
    ['partner.omnize.com', false],
    ['127.0.0.1.example.com', false],
    ['10.0.0.1', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  const answering: typeof fetch = async () =>
    new Response('{"status":200,"success":true,"data":[]}', {
      headers: { 'content-type': 'application/json' },
    });

  it('warns once per client when the token goes over http to another host, naming the host only', async () => {
    const log = capturingLogger();
    const client = new OmnizeClient({
      baseUrl: 'http://partner.omnize.com/api/v1',
      authUrl: 'https://auth.example/prod/authentication',
      token: 'warn-test-token',
      timeoutMs: 1000,
      logger: log.logger,
      fetch: answering,
    });
    await client.listAgents(1);
    await client.listDepartments(1);
    const warnings = log.lines().filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain('partner.omnize.com');
    expect(log.text()).not.toContain('warn-test-token');
  });

  it('does not warn for https', async () => {
    const log = capturingLogger();
    const client = new OmnizeClient({
      baseUrl: 'https://partner.omnize.com/api/v1',
      authUrl: 'https://auth.example/prod/authentication',
      token: 'warn-test-token',
      timeoutMs: 1000,
      logger: log.logger,
      fetch: answering,
    });
    await client.listAgents(1);
    expect(log.lines().filter((line) => line.level === 40)).toHaveLength(0);
  });
});

describe('constructing a client', () => {
  const valid = {
    baseUrl: 'http://127.0.0.1:1/api/v1',
    authUrl: 'http://127.0.0.1:1/auth',
    token: 't0k3n',
    timeoutMs: 10,
  };

  it('refuses a base URL that is not a URL and a timeout that is not positive', () => {
    expect(() => new OmnizeClient({ ...valid, baseUrl: 'partner.omnize.com' })).toThrow(UsageError);
    expect(() => new OmnizeClient({ ...valid, timeoutMs: 0 })).toThrow(UsageError);
  });

  it('joins endpoint paths to a base URL given with a trailing slash', async () => {
    const seen: string[] = [];
    const recording: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('{"success":true}');
    };
    await new OmnizeClient({
      ...valid,
      baseUrl: 'https://x.example/api/v1/',
      fetch: recording,
    }).deleteAccount(3);
    expect(seen).toEqual(['https://x.example/api/v1/accounts/3']);
  });
});
