import { z } from 'zod';

/**
 * The global settings of CONTRACT §8, each declared once. The yargs options
 * and their --help texts (cli/main.ts), the flags handed to the config
 * (cli/command.ts), the config-file schema, the environment names and the
 * resolved Config with its defaults (config.ts) are all derived from this
 * table, and test/config/readme-table.test.ts fails when the README's
 * configuration table says otherwise. A new setting is one entry here plus
 * the code that reads it from the Config.
 */

/** The seed document's authentication URL for the "Url login" call. */
export const DEFAULT_AUTH_URL = 'https://ca1vsqktff.execute-api.us-east-1.amazonaws.com/prod/authentication';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

/** A row of the README's configuration table, as written in Markdown. */
export interface ReadmeRow {
  flag: string;
  environment: string;
  default: string;
}

export interface SettingDeclaration<Schema extends z.ZodType, Default extends z.output<Schema> | undefined> {
  /** The flag without its dashes; yargs hands it to commands in camelCase, which must be the key. */
  readonly flag: string;
  readonly environment: string;
  /** Checks a value from any source; flags and the environment give strings, so numbers are coerced. */
  readonly schema: Schema;
  /** The value when no source sets one; undefined when leaving it unset means something of its own. */
  readonly default: Default;
  /** What the setting is, for --help (the environment name and the default are added to it). */
  readonly describe: string;
  /** The default in words, for --help and the README, where the value alone says too little or there is none. */
  readonly defaultText?: string;
  /** README cells that say more than the flag, the environment name and the default would. */
  readonly readme?: Partial<ReadmeRow>;
}

/** Ties each declaration's default to its own schema's type, which a plain object literal would not check. */
function setting<Schema extends z.ZodType, const Default extends z.output<Schema> | undefined>(
  declaration: SettingDeclaration<Schema, Default>,
): SettingDeclaration<Schema, Default> {
  return declaration;
}

/** In the order --help and the README list them. */
export const SETTINGS = {
  tokenFile: setting({
    flag: 'token-file',
    environment: 'OMNIZE_TOKEN_FILE',
    schema: z.string().min(1),
    default: undefined,
    describe: 'file holding the partner token (or set OMNIZE_TOKEN)',
    readme: {
      environment: '`OMNIZE_TOKEN` or `OMNIZE_TOKEN_FILE`',
      default: 'none (required for API commands)',
    },
  }),
  baseUrl: setting({
    flag: 'base-url',
    environment: 'OMNIZE_BASE_URL',
    // Paths are joined to it with a slash of their own.
    schema: z.url().transform((url) => url.replace(/\/+$/, '')),
    default: 'http://partner.omnize.com/api/v1',
    describe: 'Partner API base URL',
  }),
  authUrl: setting({
    flag: 'auth-url',
    environment: 'OMNIZE_AUTH_URL',
    schema: z.url(),
    default: DEFAULT_AUTH_URL,
    describe: 'Url login authentication endpoint',
    readme: { default: "the API document's authentication URL" },
  }),
  loginUrl: setting({
    flag: 'login-url',
    environment: 'OMNIZE_LOGIN_URL',
    schema: z.url(),
    default: 'https://login.omnize.com.br',
    describe: 'login page for login links',
  }),
  state: setting({
    flag: 'state',
    environment: 'OMNIZE_STATE',
    schema: z.string().min(1),
    default: './omnize-sync.db',
    describe: 'state store: an SQLite file, or a postgres://USER@HOST:PORT/DB URL',
    readme: { default: '`./omnize-sync.db` (SQLite); or `postgres://…`' },
  }),
  statePasswordFile: setting({
    flag: 'state-password-file',
    environment: 'OMNIZE_STATE_PASSWORD_FILE',
    schema: z.string().min(1),
    default: undefined,
    describe: 'file holding the PostgreSQL state store password (or put it in the URL, or set PGPASSWORD)',
    readme: { default: 'none: the password from the `--state` URL, else `PGPASSWORD`' },
  }),
  concurrency: setting({
    flag: 'concurrency',
    environment: 'OMNIZE_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(256),
    default: 8,
    describe: 'requests in flight at most',
  }),
  rate: setting({
    flag: 'rate',
    environment: 'OMNIZE_RATE',
    schema: z.union([z.literal('auto'), z.coerce.number().positive().max(10_000)], {
      error: 'must be a number of requests per second (more than 0, at most 10000) or auto',
    }),
    default: 10 as number | 'auto',
    describe: 'requests started per second at most, or auto: find the API limit (see --max-rate)',
  }),
  maxRate: setting({
    flag: 'max-rate',
    environment: 'OMNIZE_MAX_RATE',
    schema: z.coerce.number().positive().max(10_000),
    default: 100,
    describe: 'with --rate auto: the rate it never goes above',
    readme: {
      flag: '`--rate auto` with `--max-rate N`',
      environment: '`OMNIZE_RATE=auto` / `OMNIZE_MAX_RATE`',
      default: 'off; `--max-rate` 100',
    },
  }),
  retries: setting({
    flag: 'retries',
    environment: 'OMNIZE_RETRIES',
    schema: z.coerce.number().int().min(0).max(100),
    default: 5,
    describe: 'retries of a transient failure',
  }),
  timeoutMs: setting({
    flag: 'timeout-ms',
    environment: 'OMNIZE_TIMEOUT_MS',
    schema: z.coerce.number().int().min(1).max(600_000),
    default: 30_000,
    describe: 'timeout of one request',
  }),
  reportDir: setting({
    flag: 'report-dir',
    environment: 'OMNIZE_REPORT_DIR',
    schema: z.string().min(1),
    default: './reports',
    describe: 'where run reports are written',
  }),
  logLevel: setting({
    flag: 'log-level',
    environment: 'OMNIZE_LOG_LEVEL',
    schema: z.enum(LOG_LEVELS),
    default: 'info',
    describe: LOG_LEVELS.join('|'),
  }),
  logFormat: setting({
    flag: 'log-format',
    environment: 'OMNIZE_LOG_FORMAT',
    schema: z.enum(LOG_FORMATS),
    // Unset lets the logger choose by its destination.
    default: undefined,
    describe: LOG_FORMATS.join('|'),
    defaultText: 'pretty on a terminal, JSON otherwise',
    readme: { flag: `\`--log-format ${LOG_FORMATS.join('\\|')}\`` },
  }),
  metricsFile: setting({
    flag: 'metrics-file',
    environment: 'OMNIZE_METRICS_FILE',
    schema: z.string().min(1),
    default: undefined,
    describe: 'after every plan/apply, write Prometheus metrics to FILE (for the textfile collector)',
    readme: { flag: '`--metrics-file FILE`', default: 'none (see Monitoring)' },
  }),
  pushgatewayUrl: setting({
    flag: 'pushgateway-url',
    environment: 'OMNIZE_PUSHGATEWAY_URL',
    schema: z.url({ protocol: /^https?$/ }),
    default: undefined,
    describe: 'after every plan/apply, PUT the metrics to URL/metrics/job/omnize_sync',
    readme: { flag: '`--pushgateway-url URL`', default: 'none (see Monitoring)' },
  }),
  notifyUrl: setting({
    flag: 'notify-url',
    environment: 'OMNIZE_NOTIFY_URL',
    schema: z.url({ protocol: /^https?$/ }),
    default: undefined,
    describe: 'POST a JSON alert to URL when a run starts failing or recovers (a secret: never printed)',
    readme: { flag: '`--notify-url URL`', default: 'none (see Monitoring); a secret: never printed' },
  }),
};

export type SettingKey = keyof typeof SETTINGS;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

type Declared = typeof SETTINGS;

/** The settings as flags or the environment hold them: text, not yet checked. */
export type SettingFlags = { [Key in SettingKey]?: string };

/** Settings one source gave, checked: each may be missing. */
export type Settings = { [Key in SettingKey]?: z.output<Declared[Key]['schema']> };

/** Every setting after the defaults: undefined only where the table's default is. */
export type ResolvedSettings = {
  [Key in SettingKey]: undefined extends Declared[Key]['default']
    ? z.output<Declared[Key]['schema']> | undefined
    : z.output<Declared[Key]['schema']>;
};

/**
 * The keys a config file may write the setting as: camelCase, the flag's own spelling and
 * snake_case (`reportDir`, `report-dir`, `report_dir`), since a partner may write any of them.
 */
export function configFileKeys(key: SettingKey): string[] {
  const { flag } = SETTINGS[key];
  return [...new Set([key, flag, flag.replaceAll('-', '_')])];
}

/** The text after the setting's flag in --help. */
export function helpText(key: SettingKey): string {
  const declared: SettingDeclaration<z.ZodType, unknown> = SETTINGS[key];
  const shownDefault = declared.defaultText ?? declared.default;
  const defaultPart = shownDefault === undefined ? '' : ` (default ${String(shownDefault)})`;
  return `${declared.describe} [env ${declared.environment}]${defaultPart}`;
}

/** The setting's row in the README's configuration table. */
export function readmeRow(key: SettingKey): ReadmeRow {
  const declared: SettingDeclaration<z.ZodType, unknown> = SETTINGS[key];
  return {
    flag: declared.readme?.flag ?? `\`--${declared.flag}\``,
    environment: declared.readme?.environment ?? `\`${declared.environment}\``,
    default: declared.readme?.default ?? declared.defaultText ?? markdownValue(declared.default),
  };
}

function markdownValue(value: unknown): string {
  if (value === undefined) return 'none';
  return typeof value === 'string' ? `\`${value}\`` : String(value);
}
