import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { readConfigFile } from './config-file.js';
import {
  configFileKeys,
  type ResolvedSettings,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
  type Settings,
} from './settings.js';

/** Keys a config file may hold, each checked by its setting's schema; a key the table lacks is refused. */
const settingsSchema = z
  .object(
    Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].schema])) as {
      [Key in SettingKey]: (typeof SETTINGS)[Key]['schema'];
    },
  )
  .partial()
  .strict();

/** The settings after flags, environment, config file and defaults, with the token read in place of its file. */
export type Config = Omit<ResolvedSettings, 'tokenFile'> & {
  /** The partner token, or undefined when none was given (only API commands need one). Secret. */
  token: string | undefined;
};

export interface ConfigSources {
  /** Settings given as flags (only those the user actually typed), not yet checked. */
  flags: { [Key in SettingKey]?: unknown };
  /** The config file named by --config, if any: JSON that may hold comments and trailing commas. */
  configFile?: string;
  env: NodeJS.ProcessEnv;
}

/** Flags, then environment, then the config file, then defaults (CONTRACT §8). Every bad value is a UsageError naming where it came from. */
export function resolveConfig(sources: ConfigSources): Config {
  const flags = validate(sources.flags, 'flags', (key) => `flag --${SETTINGS[key].flag}`);
  const fromEnv = validate(
    readEnvironment(sources.env),
    'environment',
    (key) => `environment variable ${SETTINGS[key].environment}`,
  );
  const { configFile } = sources;
  let fromFile: Settings = {};
  if (configFile !== undefined) {
    const { values, written } = readConfigFile(configFile, configFileSpellings());
    fromFile = validate(
      values,
      `config file ${configFile}`,
      (key) => `config file ${configFile}: key "${written[key] ?? key}"`,
    );
  }
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
  // The token replaces the path of its file: nothing after this needs the path.
  const { tokenFile: _readAbove, ...resolved } = withDefaults(merged);
  return { ...resolved, token };
}

/** Every key a config file may spell a setting with, to its camelCase key. */
function configFileSpellings(): Map<string, SettingKey> {
  return new Map(
    SETTING_KEYS.flatMap((key) => configFileKeys(key).map((spelling) => [spelling, key] as const)),
  );
}

function withDefaults(settings: Settings): ResolvedSettings {
  const resolved: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) resolved[key] = settings[key] ?? SETTINGS[key].default;
  // Each value has its key's type by the loop above; TypeScript does not follow a loop over keys.
  return resolved as ResolvedSettings;
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
  for (const key of SETTING_KEYS) {
    const value = env[SETTINGS[key].environment];
    if (value !== undefined && value !== '') settings[key] = value;
  }
  return settings;
}

function validate(input: unknown, where: string, describe: (key: SettingKey) => string): Settings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new UsageError(`${where}: must be a JSON object`);
  }
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const key = String(issue.path[0]) as SettingKey;
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
