import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { startProgress } from '../../src/run/progress.js';

function sink(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

describe('startProgress', () => {
  it('logs a JSON progress line without a terminal, counting only the requests made since it started', () => {
    const log = sink(false);
    const counts = { done: 0, total: 10, failed: 0, requests: 18 };
    const progress = startProgress(() => counts, {
      stderr: log.stream,
      logger: createLogger({ level: 'info', format: 'json', destination: log.stream }),
    });
    Object.assign(counts, { done: 10, failed: 1, requests: 18 });
    progress.stop();
    const line = JSON.parse(log.text().trim().split('\n').at(-1)!);
    expect(line).toMatchObject({
      msg: 'progress',
      done: 10,
      total: 10,
      failed: 1,
      requests: 18,
      requestsPerSecond: 0,
    });
  });

  it('redraws one line on a terminal: done/total, requests per second and ETA', () => {
    const terminal = sink(true);
    const counts = { done: 3, total: 4, failed: 0, requests: 0 };
    const progress = startProgress(() => counts, {
      stderr: terminal.stream,
      logger: createLogger({ level: 'silent', destination: terminal.stream }),
    });
    progress.stop();
    const ERASE_LINE = '\r\u001b[2K';
    expect(terminal.text()).toContain(`${ERASE_LINE}3/4 actions, 0 failed, 0 req/s, ETA `);
    expect(terminal.text()).toMatch(/ETA \d+s\n$/);
  });

  it('shows the rate in force under --rate auto, on the terminal line and in the JSON line', () => {
    const terminal = sink(true);
    const counts = { done: 3, total: 10, failed: 0, requests: 30, rateInForce: 23.456 };
    const logger = createLogger({ level: 'info', format: 'json', destination: terminal.stream });
    startProgress(() => counts, { stderr: terminal.stream, logger }).stop();
    expect(terminal.text()).toContain('(auto limit 23.5/s)');
    const log = sink(false);
    startProgress(() => counts, {
      stderr: log.stream,
      logger: createLogger({ level: 'info', format: 'json', destination: log.stream }),
    }).stop();
    expect(JSON.parse(log.text().trim().split('\n').at(-1)!)).toMatchObject({ rateInForce: 23.5 });
  });

  it('says nothing of a rate in force under a fixed --rate', () => {
    const terminal = sink(true);
    const logger = createLogger({ level: 'info', format: 'json', destination: terminal.stream });
    startProgress(() => ({ done: 1, total: 2, failed: 0, requests: 1 }), {
      stderr: terminal.stream,
      logger,
    }).stop();
    expect(terminal.text()).not.toContain('auto limit');
  });

  it('names what it counts on the terminal line when told (export counts reads)', () => {
    const terminal = sink(true);
    const progress = startProgress(() => ({ done: 12, total: 40, failed: 0, requests: 12 }), {
      stderr: terminal.stream,
      logger: createLogger({ level: 'silent', destination: terminal.stream }),
      noun: 'reads',
    });
    progress.stop();
    expect(terminal.text()).toContain('12/40 reads, 0 failed, ');
  });
});
