import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start real servers and child processes; on a 2-core machine they need room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
