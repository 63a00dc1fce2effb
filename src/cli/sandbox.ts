import { defineCommand, lazyRun } from './command.js';

/** The port of CONTRACT §9's example, used when --port is not given. */
export const DEFAULT_SANDBOX_PORT = 4010;
/** The token the sandbox accepts when neither --token nor OMNIZE_TOKEN (or a token file) gives one. */
export const DEFAULT_SANDBOX_TOKEN = 'sandbox-token';

/** The sandbox's own flags, as yargs hands them over (strings, checked here). */
export interface SandboxArgs {
  port?: string;
  data?: string;
  token?: string;
  latencyMs?: string;
  rateLimit?: string;
  failRate?: string;
}

/**
 * `omnize-sync sandbox`: serves the simulated Partner API on 127.0.0.1 until
 * SIGINT or SIGTERM, then writes --data and exits 0. Prints one line on
 * stdout, `OMNIZE_BASE_URL=… OMNIZE_AUTH_URL=…`, ready to paste into a shell.
 * Unlike the API commands it takes --token: it is the token this server
 * accepts, not a partner's secret.
 */
export const sandboxCommand = defineCommand<SandboxArgs>({
  command: 'sandbox',
  describe: 'start the local Partner API simulator',
  builder: (yargs) =>
    yargs.options({
      port: {
        type: 'string',
        describe: `port on 127.0.0.1; 0 picks a free one (default ${DEFAULT_SANDBOX_PORT})`,
      },
      data: { type: 'string', describe: 'JSON data file: loaded at start when it exists, saved on stop' },
      token: {
        type: 'string',
        describe: `the token the sandbox accepts (default: OMNIZE_TOKEN or the token file, else ${DEFAULT_SANDBOX_TOKEN})`,
      },
      'latency-ms': { type: 'string', describe: 'delay added to every answer (default 0)' },
      'rate-limit': {
        type: 'string',
        describe: 'requests per second; above it HTTP 429 + Retry-After (default none)',
      },
      'fail-rate': {
        type: 'string',
        describe: 'share 0..1 of requests that get a 500, a dropped connection or a slow answer',
      },
    }),
  run: lazyRun(async () => (await import('./sandbox-run.js')).runSandbox),
});
