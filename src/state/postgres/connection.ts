import { readFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/**
 * `--state postgres://user:pass@host:port/db` (CONTRACT §16), parsed once. The password is a
 * secret like the partner token: it may be in the URL, in the file `--state-password-file`
 * names, or in `PGPASSWORD` (libpq's own variable), and it never reaches an output — every
 * message shows `redactedUrl`, with `***` in its place.
 */

/** What `pg` needs to connect, and the URL as it may be shown. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  /** `sslmode=require` (encrypted, certificate not checked) or `verify-full`; absent: plain TCP. */
  ssl?: { rejectUnauthorized: boolean };
  applicationName: string;
  /** `postgres://user:***@host:port/db`: the only form of the URL a message or log line holds. */
  redactedUrl: string;
}

/** Where the password may come from, besides the URL. */
export interface PasswordSources {
  /** `--state-password-file` / OMNIZE_STATE_PASSWORD_FILE, resolved to a path. */
  passwordFile?: string;
  /** The environment; `PGPASSWORD` is read from it. */
  env?: NodeJS.ProcessEnv;
}

const SCHEMES = new Set(['postgres:', 'postgresql:']);
const DEFAULT_PORT = 5432;
const SSL_MODES: Record<string, PostgresTarget['ssl'] | null> = {
  disable: null,
  prefer: null,
  require: { rejectUnauthorized: false },
  'verify-ca': { rejectUnauthorized: true },
  'verify-full': { rejectUnauthorized: true },
};
const KNOWN_PARAMETERS = new Set(['sslmode', 'application_name']);

/** True when `--state` names a PostgreSQL database rather than an SQLite file. */
export function isPostgresUrl(state: string): boolean {
  return /^postgres(ql)?:\/\//i.test(state.trim());
}

/**
 * Replaces the password of every `scheme://user:password@` in `text` with `***`; for messages
 * that may quote the URL (a driver's error, a user's typo).
 */
export function redactUrlPasswords(text: string): string {
  // Up to the token's LAST @: a password typed unencoded may itself hold @ or /.
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*@/gi, '$1***@');
}

/** Parses the URL; a malformed one is a UsageError that shows it redacted. Reads no file. */
export function parsePostgresUrl(state: string): Omit<PostgresTarget, 'password'> & {
  urlPassword: string | undefined;
} {
  const shown = redactUrlPasswords(state.trim());
  let url: URL;
  try {
    url = new URL(state.trim());
  } catch {
    throw new UsageError(`--state ${shown} is not a valid postgres:// URL`);
  }
  if (!SCHEMES.has(url.protocol)) throw new UsageError(`--state ${shown} is not a postgres:// URL`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  if (url.hostname === '' || database === '' || database.includes('/') || user === '') {
    throw new UsageError(
      `--state ${shown} must name a user, a host and a database: postgres://USER@HOST:PORT/DB`,
    );
  }
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  let ssl: PostgresTarget['ssl'] | undefined;
  for (const [name, value] of url.searchParams) {
    if (!KNOWN_PARAMETERS.has(name)) {
      throw new UsageError(
        `--state ${shown}: unknown parameter "${name}" (known: sslmode, application_name)`,
      );
    }
    if (name === 'sslmode') {
      const mode = SSL_MODES[value];
      if (mode === undefined) {
        throw new UsageError(
          `--state ${shown}: sslmode must be one of ${Object.keys(SSL_MODES).join(', ')}, not "${value}"`,
        );
      }
      ssl = mode ?? undefined;
    }
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const hostPart = url.port === '' ? url.host : `${url.hostname}:${port}`;
  const redactedUrl = `${url.protocol}//${url.username}${url.password === '' ? '' : ':***'}@${hostPart}${url.pathname}${url.search}`;
  return {
    host,
    port,
    database,
    user,
    urlPassword: url.password === '' ? undefined : decodeURIComponent(url.password),
    ...(ssl === undefined ? {} : { ssl }),
    applicationName: url.searchParams.get('application_name') ?? 'omnize-sync',
    redactedUrl,
  };
}

/**
 * The whole target: the URL's password, else the password file's first line, else
 * `PGPASSWORD`. A password in the URL and a password file together is refused (which one
 * was meant?); an unreadable or empty file is a UsageError naming the file.
 */
export function resolvePostgresTarget(state: string, sources: PasswordSources = {}): PostgresTarget {
  const { urlPassword, ...parsed } = parsePostgresUrl(state);
  if (urlPassword !== undefined && sources.passwordFile !== undefined) {
    throw new UsageError(
      `--state ${parsed.redactedUrl} has a password and --state-password-file gives another: give it once`,
    );
  }
  const password =
    urlPassword ??
    (sources.passwordFile === undefined ? undefined : readPasswordFile(sources.passwordFile)) ??
    nonEmpty(sources.env?.PGPASSWORD);
  return { ...parsed, password };
}

function readPasswordFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--state-password-file ${path} cannot be read (${code})`);
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '')
    throw new UsageError(`--state-password-file ${path} is empty: its first line is the password`);
  return password;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
