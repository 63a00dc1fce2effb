import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutputs, metricsFileWarning } from '../../src/run/outputs.js';

describe('the outputs checked before the first request', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'omnize-outputs-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the metrics file check gives no warning for a file in a folder that takes files', () => {
    expect(metricsFileWarning(dir, 'm.prom')).toBeUndefined();
  });

  it('the metrics file check warns of a folder that does not exist, naming the flag and the path', () => {
    expect(metricsFileWarning(dir, 'missing/m.prom')).toBe(
      '--metrics-file missing/m.prom: cannot write it (its folder does not exist); the metrics will not be written, the exit code is not affected',
    );
  });

  it('the metrics file check warns of a path that is a folder, or under a regular file', () => {
    mkdirSync(join(dir, 'm.prom'));
    writeFileSync(join(dir, 'plain'), '');
    expect(metricsFileWarning(dir, 'm.prom')).toContain('cannot write it (it is a folder)');
    expect(metricsFileWarning(dir, 'plain/m.prom')).toContain(
      'cannot write it (a file stands where a folder should be)',
    );
  });

  it('the --out check still refuses a folder that does not exist', () => {
    expect(() => checkOutputs(dir, 'reports', [{ flag: '--out', path: 'missing/plan.json' }])).toThrow(
      '--out missing/plan.json: cannot write it (its folder does not exist)',
    );
  });
});
