import { configDefaults, defineConfig } from 'vitest/config';
import NoSkipsUnderCi from './test/no-skips-reporter.js';

/**
 * Tests that run the built CLI (bin/ → dist/) as a child process or start
 * Chromium: they take most of the suite's time and need `npm run build` first.
 * `npm run test:unit` leaves them out so it answers in seconds; `npm test` runs
 * both projects. A file that spawns the CLI for even one test belongs here.
 */
const END_TO_END = [
  'test/e2e/**/*.test.ts',
  'test/cli/help.test.ts',
  'test/cli/state.test.ts',
  'test/cli/state-adopt-from.test.ts',
  'test/cli/state-migrate.test.ts',
  'test/cli/validate.test.ts',
  'test/sandbox/cli.test.ts',
  'test/report/html-browser.test.ts',
  'test/manifest/bombs-cli.test.ts',
];

export default defineConfig({
  test: {
    // End-to-end tests start real servers and child processes; on a 2-core machine they need room, and
    // unit tests that start real processes (the run lock's) need it too when the machine is busy.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Under CI a test left out (skipped, todo, a `runIf` gone false) fails the run, naming it.
    reporters: ['default', new NoSkipsUnderCi()],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...END_TO_END],
        },
      },
      { extends: true, test: { name: 'e2e', include: END_TO_END } },
    ],
  },
});
