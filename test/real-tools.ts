import { existsSync } from 'node:fs';

/**
 * The real tools some tests run, from Debian's packages (`.ci/run` installs them). In CI a
 * missing tool fails its tests (the spawn fails); on a developer's machine without it they are
 * left out.
 */
export const PROMTOOL = '/usr/bin/promtool';
export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
export const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

/** Whether tests of `tool` run here: it is installed, or this is CI (where its absence must fail them). */
export function runsHere(tool: string): boolean {
  return existsSync(tool) || process.env.CI !== undefined;
}
