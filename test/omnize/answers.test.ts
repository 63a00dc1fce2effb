import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { FatalApiError } from '../../src/errors.js';
import {
  ApiProtocolError,
  ApiRejectedError,
  InvalidTokenError,
  isTransient,
  TransientApiError,
} from '../../src/omnize/errors.js';
import { exitCode } from '../../src/run/exit-code.js';
import { rejectionOf } from './capture.js';
import { DOCUMENTED_AGENT, failure, success } from './documented-answers.js';
import { expectRequest, makeClient } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

const AGENTS_PATH = '/api/v1/agents';

async function listAgentsFails(
  answer: unknown,
  reply: { status?: number; headers?: Record<string, string> } = {},
) {
  void expectRequest('GET', AGENTS_PATH, answer, reply);
  return rejectionOf(makeClient().listAgents(1));
}

describe('success:false answers', () => {
  it('"Invalid token" is a fatal error that makes the CLI exit 1', async () => {
    const error = await listAgentsFails(failure('Invalid token'));
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toBeInstanceOf(FatalApiError);
    expect(isTransient(error)).toBe(false);
    expect(exitCode(error as Error)).toBe(1);
  });

  it('"Invalid token" is recognised whatever its case and spacing, and with a non-200 HTTP status', async () => {
    expect(await listAgentsFails(failure(' invalid TOKEN '))).toBeInstanceOf(InvalidTokenError);
    expect(await listAgentsFails(failure('Invalid token'), { status: 401 })).toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('any other error is a rejection of this request, keeping the API message verbatim', async () => {
    const message = 'Email já está em uso  (agent@example.com)';
    void expectRequest('PUT', '/api/v1/agents/12153', failure(message));
    const error = await rejectionOf(
      makeClient().updateAgent(12153, { email: 'agent@example.com', name: 'A' }),
    );
    expect(error).toBeInstanceOf(ApiRejectedError);
    expect(error).not.toBeInstanceOf(FatalApiError);
    expect((error as ApiRejectedError).apiMessage).toBe(message);
    expect((error as ApiRejectedError).endpoint).toBe('PUT /api/v1/agents/12153');
    expect(isTransient(error)).toBe(false);
  });

  it('reads errors given as a list or as messages per field', async () => {
    const listed = await listAgentsFails({
      success: false,
      errors: ['Name is blank', 'E-mail can be blank'],
    });
    expect((listed as ApiRejectedError).apiMessage).toBe('Name is blank; E-mail can be blank');
    const perField = await listAgentsFails({ success: false, errors: { email: ['is taken'] } });
    expect((perField as ApiRejectedError).apiMessage).toBe('email: is taken');
    const none = await listAgentsFails({ success: false });
    expect((none as ApiRejectedError).apiMessage).toBe('the API gave no reason');
  });
});

describe('transient failures', () => {
  it('HTTP 429 with Retry-After in seconds is transient, safe to resend, and says when', async () => {
    const error = await listAgentsFails('slow down', { status: 429, headers: { 'Retry-After': '7' } });
    expect(error).toBeInstanceOf(TransientApiError);
    expect(error).toMatchObject({
      cause: 'http-429',
      retryAfterMs: 7000,
      outcomeUnknown: false,
      httpStatus: 429,
    });
    expect(isTransient(error)).toBe(true);
  });

  it('HTTP 429 with Retry-After as an HTTP-date gives the time left until then', async () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const error = (await listAgentsFails('', {
      status: 429,
      headers: { 'Retry-After': inOneMinute },
    })) as TransientApiError;
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('HTTP 500 is transient with an unknown outcome; no Retry-After leaves retryAfterMs undefined', async () => {
    const error = await listAgentsFails('<h1>Internal Server Error</h1>', { status: 500 });
    expect(error).toMatchObject({
      cause: 'http-5xx',
      outcomeUnknown: true,
      retryAfterMs: undefined,
      httpStatus: 500,
    });
    expect(isTransient(error)).toBe(true);
  });

  it('HTTP 503 carries its Retry-After too', async () => {
    const error = await listAgentsFails(failure('down'), { status: 503, headers: { 'retry-after': '2' } });
    expect(error).toMatchObject({ cause: 'http-5xx', retryAfterMs: 2000 });
  });
});

describe('answers that are not the documented JSON', () => {
  it('an HTML page with HTTP 200 is a permanent protocol error whose outcome is unknown', async () => {
    const error = await listAgentsFails('<html><body>Maintenance</body></html>', {
      headers: { 'content-type': 'text/html' },
    });
    expect(error).toBeInstanceOf(ApiProtocolError);
    expect(error).toMatchObject({ httpStatus: 200, outcomeUnknown: true });
    expect(error.message).toContain('text/html');
    expect(error.message).not.toContain('Maintenance');
    expect(isTransient(error)).toBe(false);
  });

  it('a 404 page is a protocol error that surely changed nothing', async () => {
    const error = await listAgentsFails('Not Found', { status: 404 });
    expect(error).toMatchObject({ name: 'ApiProtocolError', httpStatus: 404, outcomeUnknown: false });
  });

  it('JSON without a boolean "success" is a protocol error', async () => {
    expect(await listAgentsFails({ status: 200, data: [] })).toBeInstanceOf(ApiProtocolError);
    expect(await listAgentsFails([DOCUMENTED_AGENT])).toBeInstanceOf(ApiProtocolError);
  });

  it('an agent without an ID, or with an unreadable "ativo", is a protocol error', async () => {
    const { id: _id, ...withoutId } = DOCUMENTED_AGENT;
    expect(await listAgentsFails(success([withoutId]))).toBeInstanceOf(ApiProtocolError);
    expect(await listAgentsFails(success([{ ...DOCUMENTED_AGENT, ativo: 'maybe' }]))).toBeInstanceOf(
      ApiProtocolError,
    );
    expect(await listAgentsFails(success({ agents: [] }))).toBeInstanceOf(ApiProtocolError);
  });

  it('a create answer without the created object is a protocol error whose outcome is unknown', async () => {
    void expectRequest('POST', '/api/v1/accounts', success());
    const error = await rejectionOf(
      makeClient().createAccount({ licenseQuantity: 1, email: 'a@example.com', mainContact: 'A' }),
    );
    expect(error).toMatchObject({ name: 'ApiProtocolError', outcomeUnknown: true });
  });
});

describe('the Url login answer', () => {
  const AUTH = 'https://ca1vsqktff.execute-api.us-east-1.amazonaws.com';

  async function loginFails(answer: unknown, status = 200) {
    void expectRequest('POST', '/prod/authentication', answer, { status }, AUTH);
    return rejectionOf(makeClient().requestLoginToken('user@example.org'));
  }

  it('a status other than 200 is a rejection carrying the message verbatim', async () => {
    const error = await loginFails({ message: 'User not found', token: '', status: 404 });
    expect(error).toBeInstanceOf(ApiRejectedError);
    expect((error as ApiRejectedError).apiMessage).toBe('User not found');
  });

  it('an empty token with status 200 is a rejection', async () => {
    const error = await loginFails({ message: '', token: '', status: 200 });
    expect(error).toBeInstanceOf(ApiRejectedError);
    expect((error as ApiRejectedError).apiMessage).toContain('no login token');
  });

  it('"Invalid token" is fatal here too, also when sent with an HTTP error status', async () => {
    expect(await loginFails({ message: 'Invalid token', token: null, status: 401 }, 401)).toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('a status sent as a string is read as a number', async () => {
    void expectRequest(
      'POST',
      '/prod/authentication',
      { message: '', token: 'jwt.a.b', status: '200' },
      {},
      AUTH,
    );
    await expect(makeClient().requestLoginToken('user@example.org')).resolves.toBe('jwt.a.b');
  });
});
