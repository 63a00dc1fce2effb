import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { REDACTED, redactSecrets, registerSecret } from '../../src/log/redact.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

const TOKEN = 'B4cPxMMVteyoqCk6UUsK';
const PASSWORD = 'Senha-Forte-2026';
const DIGEST = createHash('sha256').update(PASSWORD).digest('hex');

describe('logger', () => {
  for (const format of ['json', 'pretty'] as const) {
    it(`never writes the token, a password or its digest (${format})`, () => {
      registerSecret(TOKEN);
      const { stream, text } = capture();
      const logger = createLogger({ level: 'trace', format, destination: stream });
      logger.debug(
        { body: { token: TOKEN, agent: { email: 'ana@acme.com.br', password: DIGEST } } },
        'request',
      );
      logger.info({ url: `http://127.0.0.1:4010/api/v1/agents?token=${TOKEN}&account_id=1` }, 'get');
      logger.warn({ request: { nested: { deeper: { deepest: { password: PASSWORD } } } } }, 'deep');
      const failure = Object.assign(new Error(`failed calling ?token=${TOKEN}`), {
        body: { password: PASSWORD },
      });
      logger.error({ err: failure }, 'call failed');
      logger.info(`message text holding the token ${TOKEN} and a digest ${DIGEST}`);
      const output = text();
      expect(output).toContain('ana@acme.com.br');
      expect(output).toContain(REDACTED);
      for (const secret of [TOKEN, PASSWORD, DIGEST]) expect(output).not.toContain(secret);
    });
  }

  it('writes JSON lines when the format is json', () => {
    const { stream, text } = capture();
    createLogger({ level: 'info', format: 'json', destination: stream }).info({ accounts: 3 }, 'planned');
    const line = JSON.parse(text().trim());
    expect(line).toMatchObject({ msg: 'planned', accounts: 3, level: 30 });
  });

  it('writes JSON when no format is set and the destination is not a terminal', () => {
    const { stream, text } = capture();
    createLogger({ level: 'info', destination: stream }).info('hello');
    expect(() => JSON.parse(text().trim())).not.toThrow();
  });
});

describe('redactSecrets', () => {
  it('masks secret keys at any depth and keeps everything else', () => {
    const masked = redactSecrets({ a: [{ b: { password: 'x1234', name: 'Jõao' } }], token: 'abc', n: 3 });
    expect(masked).toEqual({ a: [{ b: { password: REDACTED, name: 'Jõao' } }], token: REDACTED, n: 3 });
  });
});
