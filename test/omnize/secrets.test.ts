import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log/logger.js';
import { createLogger } from '../../src/log/logger.js';
import { capturingLogger, rejectionOf } from './capture.js';
import { DEPARTMENT_CASES } from './department-cases.js';
import { failure, LOGIN_ANSWER } from './documented-answers.js';
import { AGENT_AND_ACCOUNT_CASES, DIGEST, PLAIN_PASSWORD } from './endpoint-cases.js';
import { expectRequest, makeClient, PARTNER_ORIGIN } from './support.js';

/**
 * CONTRACT §7: no log line holds the partner token, a plain password or its
 * SHA-256 digest. The client logs every request at debug level; these tests
 * capture the bytes of that log and of every error the client throws.
 */

const SECRET_TOKEN = 'Partner-Token-5f3a9c';
const SECRETS = [SECRET_TOKEN, PLAIN_PASSWORD, DIGEST, LOGIN_ANSWER.token];
const CASES = [...AGENT_AND_ACCOUNT_CASES, ...DEPARTMENT_CASES];

afterEach(() => {
  nock.cleanAll();
});

/** Runs every documented call once with its success answer, then the failures, through `logger`. */
async function exerciseEveryPath(logger: Logger): Promise<Error[]> {
  const client = makeClient({ token: SECRET_TOKEN, logger });
  for (const example of CASES) {
    const seen = expectRequest(
      example.method,
      example.path,
      example.answer,
      {},
      example.origin ?? PARTNER_ORIGIN,
    );
    await example.call(client);
    const request = await seen;
    // The secrets were sent, so their absence from the log below means something.
    expect(JSON.stringify(request)).toContain(SECRET_TOKEN);
  }
  const createAgent = CASES[0]!;
  const failures: [unknown, { status?: number; headers?: Record<string, string> }][] = [
    [failure('Invalid token'), {}],
    [failure(`token ${SECRET_TOKEN} is not valid`), {}],
    ['<html>error</html>', {}],
    ['busy', { status: 429, headers: { 'retry-after': '1' } }],
    ['oops', { status: 500 }],
  ];
  const errors: Error[] = [];
  for (const [answer, reply] of failures) {
    void expectRequest(createAgent.method, createAgent.path, answer, reply);
    errors.push(await rejectionOf(createAgent.call(client)));
  }
  return errors;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets never reach the log', () => {
  it('the client itself logs no secret: a logger without any redaction stays clean', async () => {
    const log = capturingLogger();
    await exerciseEveryPath(log.logger);
    const lines = log.lines();
    expect(lines.filter((line) => line.msg === 'partner api request')).toHaveLength(CASES.length + 5);
    expect(lines).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/api/v1/agents?account_id=1' }),
    );
    expectNoSecret(log.text());
  });

  it("the program's own logger stays clean when the errors are logged as well", async () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', format: 'json', destination });
    const errors = await exerciseEveryPath(logger);
    for (const error of errors) logger.error({ err: error }, error.message);
    expect(chunks.join('')).toContain('ApiRejectedError');
    expectNoSecret(chunks.join(''));
  });

  it('no error the client throws holds a secret in its message, fields or stack', async () => {
    const errors = await exerciseEveryPath(capturingLogger().logger);
    expect(errors.map((error) => error.name)).toEqual([
      'InvalidTokenError',
      'ApiRejectedError',
      'ApiProtocolError',
      'TransientApiError',
      'TransientApiError',
    ]);
    for (const error of errors.filter((error) => !error.message.includes('is not valid'))) {
      expectNoSecret(`${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`);
    }
  });
});
