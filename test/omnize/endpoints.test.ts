import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiRejectedError, InvalidTokenError } from '../../src/omnize/errors.js';
import { rejectionOf } from './capture.js';
import { DEPARTMENT_CASES } from './department-cases.js';
import { failure } from './documented-answers.js';
import { AGENT_AND_ACCOUNT_CASES } from './endpoint-cases.js';
import { expectRequest, makeClient, PARTNER_ORIGIN } from './support.js';

const CASES = [...AGENT_AND_ACCOUNT_CASES, ...DEPARTMENT_CASES];

afterEach(() => {
  nock.cleanAll();
});

describe('every endpoint of the Partner API document', () => {
  it('has a case for each of the 21 documented calls', () => {
    expect(CASES).toHaveLength(21);
  });

  it.each(CASES)(
    '$title sends exactly the documented request and reads the documented answer',
    async (example) => {
      const seen = expectRequest(
        example.method,
        example.path,
        example.answer,
        {},
        example.origin ?? PARTNER_ORIGIN,
      );
      const result = await example.call(makeClient({ token: example.token }));
      const request = await seen;
      expect(request.method).toBe(example.method);
      expect(request.path).toBe(example.path);
      expect(request.query).toEqual(example.query);
      expect(request.body).toStrictEqual(example.body);
      if (example.method === 'GET') expect(request.queryOrder[0]).toBe('token');
      else expect(request.contentType).toBe('application/json');
      expect(result).toStrictEqual(example.result);
      expect(nock.isDone()).toBe(true);
    },
  );

  const errorCases = CASES.filter((example) => example.origin === undefined);

  it.each(errorCases)('$title turns the documented error answer into an error', async (example) => {
    const message = example.documentedError ?? 'Invalid token';
    void expectRequest(example.method, example.path, failure(message));
    const error = await rejectionOf(example.call(makeClient({ token: example.token })));
    expect(error).toBeInstanceOf(message === 'Invalid token' ? InvalidTokenError : ApiRejectedError);
    expect((error as ApiRejectedError).apiMessage).toBe(message);
    expect((error as ApiRejectedError).endpoint).toBe(`${example.method} ${example.path}`);
  });
});
