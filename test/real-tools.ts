import { existsSync } from 'node:fs';

/**
 * The real tools some tests run, from Debian's packages (`.ci/run` installs them, and sets CI).
 * In CI a missing tool fails its tests (the spawn fails), and a test left out fails the run
 * (test/no-skips-reporter.ts); on a developer's machine without the tool they are left out.
 */
export const PROMTOOL = '/usr/bin/promtool';
export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
export const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

/**
 * Whether tests of `tool` (a path, or undefined when it was not found) run here: it is
 * installed, or this is CI, where they always run and its absence fails them.
 */
export function runsHere(tool: string | undefined, environment: NodeJS.ProcessEnv = process.env): boolean {
  return (tool !== undefined && existsSync(tool)) || environment.CI !== undefined;
}
