import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { readConfigFile } from './config-file.js';

/** The seed document's authentication URL for the "Url login" call. */
export const DEFAULT_AUTH_URL = 'https://ca1vsqktff.execute-api.us-east-1.amazonaws.com/prod/authentication';

/** CONTRACT §8 defaults. */
export const DEFAULTS = {
  baseUrl: 'http://partner.omnize.com/api/v1',
  authUrl: DEFAULT_AUTH_URL,
  loginUrl: 'https://login.omnize.com.br',
  state: './omnize-sync.db',
  concurrency: 8,
  rate: 10,
  retries: 5,
  timeoutMs: 30_000,
  reportDir: './reports',
  logLevel: 'info',
} as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

/** Keys a flag, the environment or a config file may set, each named as in the config file. */
const settingsSchema = z
  .object({
    tokenFile: z.string().min(1),
    baseUrl: z.url(),
    authUrl: z.url(),
    loginUrl: z.url(),
    state: z.string().min(1),
    concurrency: z.coerce.number().int().min(1).max(256),
    rate: z.coerce.number().positive().max(10_000),
    retries: z.coerce.number().int().min(0).max(100),
    timeoutMs: z.coerce.number().int().min(1).max(600_000),
    reportDir: z.string().min(1),
    logLevel: z.enum(LOG_LEVELS),
    logFormat: z.enum(LOG_FORMATS),
  })
  .partial()
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export interface Config {
  /** The partner token, or undefined when none was given (only API commands need one). Secret. */
  token: string | undefined;
  baseUrl: string;
  authUrl: string;
  loginUrl: string;
  state: string;
  concurrency: number;
  rate: number;
  retries: number;
  timeoutMs: number;
  reportDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Undefined: pretty on a terminal, JSON otherwise. */
  logFormat: (typeof LOG_FORMATS)[number] | undefined;
}

/** Environment variable for each setting (CONTRACT §8); OMNIZE_TOKEN is handled apart, as the token itself. */
const ENVIRONMENT: Record<keyof Settings, string> = {
  tokenFile: 'OMNIZE_TOKEN_FILE',
  baseUrl: 'OMNIZE_BASE_URL',
  authUrl: 'OMNIZE_AUTH_URL',
  loginUrl: 'OMNIZE_LOGIN_URL',
  state: 'OMNIZE_STATE',
  concurrency: 'OMNIZE_CONCURRENCY',
  rate: 'OMNIZE_RATE',
  retries: 'OMNIZE_RETRIES',
  timeoutMs: 'OMNIZE_TIMEOUT_MS',
  reportDir: 'OMNIZE_REPORT_DIR',
  logLevel: 'OMNIZE_LOG_LEVEL',
  logFormat: 'OMNIZE_LOG_FORMAT',
};

/** The flag that sets each setting, for messages. */
const FLAG: Record<keyof Settings, string> = {
  tokenFile: '--token-file',
  baseUrl: '--base-url',
  authUrl: '--auth-url',
  loginUrl: '--login-url',
  state: '--state',
  concurrency: '--concurrency',
  rate: '--rate',
  retries: '--retries',
  timeoutMs: '--timeout-ms',
  reportDir: '--report-dir',
  logLevel: '--log-level',
  logFormat: '--log-format',
};

export interface ConfigSources {
  /** Settings given as flags (only those the user actually typed). */
  flags: Settings;
  /** The config file named by --config, if any: JSON that may hold comments and trailing commas. */
  configFile?: string;
  env: NodeJS.ProcessEnv;
}

/** Flags, then environment, then the config file, then defaults (CONTRACT §8). Every bad value is a UsageError naming where it came from. */
export function resolveConfig(sources: ConfigSources): Config {
  const flags = validate(sources.flags, 'flags', (key) => `flag ${FLAG[key]}`);
  const fromEnv = validate(
    readEnvironment(sources.env),
    'environment',
    (key) => `environment variable ${ENVIRONMENT[key]}`,
  );
  const { configFile } = sources;
  const fromFile =
    configFile === undefined
      ? {}
      : validate(
          readConfigFile(configFile, Object.keys(settingsSchema.shape)),
          `config file ${configFile}`,
          (key) => `config file ${configFile}: key "${key}"`,
        );
  const merged: Settings = { ...fromFile, ...fromEnv, ...flags };
  const tokenFromEnv = sources.env.OMNIZE_TOKEN?.trim();
  // A token file named explicitly (flag or env) wins over OMNIZE_TOKEN only when given at a higher level.
  const token =
    flags.tokenFile !== undefined
      ? readTokenFile(flags.tokenFile)
      : tokenFromEnv
        ? tokenFromEnv
        : merged.tokenFile !== undefined
          ? readTokenFile(merged.tokenFile)
          : undefined;
  return {
    token,
    baseUrl: stripTrailingSlash(merged.baseUrl ?? DEFAULTS.baseUrl),
    authUrl: merged.authUrl ?? DEFAULTS.authUrl,
    loginUrl: merged.loginUrl ?? DEFAULTS.loginUrl,
    state: merged.state ?? DEFAULTS.state,
    concurrency: merged.concurrency ?? DEFAULTS.concurrency,
    rate: merged.rate ?? DEFAULTS.rate,
    retries: merged.retries ?? DEFAULTS.retries,
    timeoutMs: merged.timeoutMs ?? DEFAULTS.timeoutMs,
    reportDir: merged.reportDir ?? DEFAULTS.reportDir,
    logLevel: merged.logLevel ?? DEFAULTS.logLevel,
    logFormat: merged.logFormat,
  };
}

/** The token for commands that talk to the API; a clear error when none was given. */
export function requireToken(config: Config): string {
  if (config.token === undefined || config.token === '') {
    throw new UsageError(
      'no partner token: set OMNIZE_TOKEN, or OMNIZE_TOKEN_FILE / --token-file to a file holding it (there is no --token flag, so the token stays out of process listings)',
    );
  }
  return config.token;
}

function readEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value !== undefined && value !== '') settings[key] = value;
  }
  return settings;
}

function validate(input: unknown, where: string, describe: (key: keyof Settings) => string): Settings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new UsageError(`${where}: must be a JSON object`);
  }
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const key = String(issue.path[0]) as keyof Settings;
    return `${describe(key)}: ${issue.message}`;
  });
  throw new UsageError(messages.join('; '));
}

function readTokenFile(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(
      `token file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (token === '') throw new UsageError(`token file ${path}: is empty`);
  return token;
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
