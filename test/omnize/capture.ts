import { Writable } from 'node:stream';
import { pino } from 'pino';

/**
 * Test helpers that do not load nock: with nock loaded, fetch requests that
 * pass through to a real server and carry a body fail with "TypeError:
 * unusable", so the tests against real servers must not import it.
 */

/** A debug-level pino logger without any redaction, writing into a buffer: what the client itself puts in a log. */
export function capturingLogger(): {
  logger: pino.Logger;
  text: () => string;
  lines: () => Record<string, unknown>[];
} {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  const text = () => Buffer.concat(chunks).toString('utf8');
  const lines = () =>
    text()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, lines };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
