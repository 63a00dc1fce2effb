import { describe, expect, it } from 'vitest';
import { runsHere } from './real-tools.js';

describe('tests of a real tool (promtool, the Pushgateway, systemd-analyze, Chromium)', () => {
  const missing = '/nonexistent/omnize-sync-tool';

  it('always run under CI, even when the tool is missing, so its absence fails them', () => {
    expect(runsHere(missing, { CI: 'true' })).toBe(true);
    expect(runsHere(undefined, { CI: '1' })).toBe(true);
  });

  it('run on a developer machine only when the tool is installed', () => {
    expect(runsHere(missing, {})).toBe(false);
    expect(runsHere(undefined, {})).toBe(false);
    expect(runsHere(process.execPath, {})).toBe(true);
  });
});
