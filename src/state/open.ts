import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StateBackend } from './backend.js';
import { isPostgresUrl } from './postgres/connection.js';
import { SqliteBackend } from './sqlite-backend.js';

export interface OpenStateOptions {
  /** Where a relative SQLite path is resolved from. */
  cwd: string;
  /** `--state-password-file`, resolved against `cwd`. */
  passwordFile?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the store `--state` names: a `postgres://` URL is a PostgreSQL database, anything else
 * an SQLite file (CONTRACT §16). Both are migrated on open.
 */
export async function openStateBackend(state: string, options: OpenStateOptions): Promise<StateBackend> {
  if (isPostgresUrl(state)) {
    // Loaded only for a PostgreSQL store: `pg` costs every SQLite run ~40 ms of startup.
    const { PostgresStateStore } = await import('./postgres/store.js');
    return PostgresStateStore.open(state, {
      ...(options.passwordFile === undefined
        ? {}
        : { passwordFile: resolve(options.cwd, options.passwordFile) }),
      env: options.env ?? process.env,
    });
  }
  return SqliteBackend.open(resolve(options.cwd, state));
}

/** Opens the store a command's settings name (`--state`, `--state-password-file`), as `io` sees paths and the environment. */
export function openConfiguredState(
  settings: { state: string; statePasswordFile?: string | undefined },
  io: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<StateBackend> {
  return openStateBackend(settings.state, {
    cwd: io.cwd,
    ...(settings.statePasswordFile === undefined ? {} : { passwordFile: settings.statePasswordFile }),
    env: io.env,
  });
}

/**
 * The SQLite file `--state` names when it does not exist (a command that only reads must not
 * create one: a mistyped --state would leave a stray file); undefined when it exists, and for a
 * PostgreSQL URL, whose database is there to connect to.
 */
export function missingStateFile(state: string, cwd: string): string | undefined {
  if (isPostgresUrl(state)) return undefined;
  const path = resolve(cwd, state);
  return existsSync(path) ? undefined : path;
}
