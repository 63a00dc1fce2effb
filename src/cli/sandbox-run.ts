import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import { SandboxDataError } from '../sandbox/normalize.js';
import type { RecordedRequest, SandboxOptions } from '../sandbox/options.js';
import { startSandbox } from '../sandbox/server.js';
import type { CommandContext } from './command.js';
import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TOKEN, type SandboxArgs } from './sandbox.js';

/** Runs `sandbox` (see sandbox.ts): serves until SIGINT or SIGTERM, then saves --data. */
export async function runSandbox(context: CommandContext<SandboxArgs>): Promise<CommandResult> {
  const options = sandboxOptions(context);
  const logger = context.logger();
  const sandbox = await startSandbox({
    ...options,
    record: false,
    onRequest: (request) => logger.debug(requestLine(request), 'request'),
  }).catch((error: unknown) => {
    throw startError(error, options.port ?? DEFAULT_SANDBOX_PORT);
  });
  context.io.stdout.write(`OMNIZE_BASE_URL=${sandbox.baseUrl} OMNIZE_AUTH_URL=${sandbox.authUrl}\n`);
  logger.info(
    {
      port: sandbox.port,
      data: options.data ?? null,
      latencyMs: options.latencyMs,
      rateLimit: options.rateLimit,
      failRate: options.failRate,
    },
    'sandbox listening; stop it with Ctrl-C (SIGINT) or SIGTERM',
  );
  const signal = await nextStopSignal();
  await sandbox.stop();
  logger.info({ signal, data: options.data ?? null }, 'sandbox stopped');
  return DONE;
}

/** The flags as startSandbox options; every out-of-range value is a UsageError naming its flag. */
export function sandboxOptions(context: CommandContext<SandboxArgs>): SandboxOptions {
  const { args, io } = context;
  const token = args.token ?? context.config().token ?? DEFAULT_SANDBOX_TOKEN;
  if (token.trim() === '') throw new UsageError('--token: must not be empty');
  registerSecret(token);
  return {
    token,
    port: wholeNumber(args.port, '--port', 0, 65_535) ?? DEFAULT_SANDBOX_PORT,
    data: args.data === undefined ? undefined : resolve(io.cwd, args.data),
    latencyMs: wholeNumber(args.latencyMs, '--latency-ms', 0, 600_000),
    rateLimit: wholeNumber(args.rateLimit, '--rate-limit', 0, 1_000_000),
    failRate: share(args.failRate, '--fail-rate'),
  };
}

function wholeNumber(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag}: must be a whole number from ${min} to ${max} (got "${text}")`);
  }
  return value;
}

function share(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${flag}: must be a number from 0 to 1 (got "${text}")`);
  }
  return value;
}

function startError(error: unknown, port: number): unknown {
  if (error instanceof SandboxDataError) return new UsageError(error.message);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new UsageError(`--port ${port}: already in use (try another, or 0 for a free one)`);
  if (code === 'EACCES') return new UsageError(`--port ${port}: not allowed to listen on it`);
  return error;
}

/** One debug line per request: the recorded fields, never the body (it may be large; the path holds no token). */
function requestLine(request: RecordedRequest): Record<string, unknown> {
  const { method, path, status, fault, applied, success, error } = request;
  return { method, path, status, fault, applied, success, error };
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
