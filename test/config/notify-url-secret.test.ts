import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/command.js';
import { printFailure } from '../../src/cli/exit.js';
import { REDACTED, redactString } from '../../src/log/redact.js';

const URL = 'https://hooks.example.com/services/T0AAA/B0BBB/webhook-credential-xyz';

function io(env: NodeJS.ProcessEnv) {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env,
    cwd: process.cwd(),
  };
}

describe('the notify URL is a secret, like the token', () => {
  it('is masked in messages and log lines once the settings are read', () => {
    const context = createContext({}, io({ OMNIZE_NOTIFY_URL: URL }));
    expect(context.config().notifyUrl).toBe(URL);
    expect(redactString(`POST to ${URL} failed`)).toBe(`POST to ${REDACTED} failed`);
  });

  it('is masked in a failure printed to stderr', () => {
    createContext({}, io({ OMNIZE_NOTIFY_URL: URL })).config();
    const stderr = new PassThrough();
    let text = '';
    stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    printFailure(new Error(`cannot reach ${URL}`), stderr);
    expect(text).not.toContain('webhook-credential-xyz');
    expect(text).toContain(REDACTED);
  });

  it('is not echoed when it is not a URL', () => {
    const context = createContext({}, io({ OMNIZE_NOTIFY_URL: 'hooks.example.com/secret-part-123' }));
    expect(() => context.config()).toThrow(/^environment variable OMNIZE_NOTIFY_URL: Invalid URL$/);
  });
});
