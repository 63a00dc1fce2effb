import type { Reporter, TestModule } from 'vitest/node';

/** Where each test that did not run is: its file and its full name. */
export function skippedTests(modules: readonly TestModule[]): string[] {
  const skipped: string[] = [];
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      if (test.result().state === 'skipped') skipped.push(`${module.moduleId}: ${test.fullName}`);
    }
  }
  return skipped;
}

/**
 * Under CI no test may be left out: a test of a real tool (promtool, systemd-analyze, Chromium,
 * test/real-tools.ts) runs there and fails when the tool is missing, and any other skip (`.skip`,
 * `.todo`, a `runIf` that went false) fails the run here, naming each test that did not run.
 */
export default class NoSkipsUnderCi implements Reporter {
  constructor(private readonly environment: NodeJS.ProcessEnv = process.env) {}

  onTestRunEnd(modules: readonly TestModule[]): void {
    if (this.environment.CI === undefined) return;
    const skipped = skippedTests(modules);
    if (skipped.length === 0) return;
    process.stderr.write(
      `\nUnder CI every test runs, but ${skipped.length} did not:\n${skipped.map((name) => `  ${name}`).join('\n')}\n`,
    );
    process.exitCode = 1;
  }
}
