import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { type CommandResult, DONE } from '../run/exit-code.js';
import { lockHeldError, lockTakeoverMessage } from '../state/lock.js';
import { isPostgresUrl, redactUrlPasswords, resolvePostgresTarget } from '../state/postgres/connection.js';
import { copyToPostgres, type TableCopy } from '../state/postgres/copy.js';
import { connectionError, createPool } from '../state/postgres/pool.js';
import { nativeBinding } from '../state/sql.js';
import { StateStore } from '../state/store.js';
import type { CommandContext } from './command.js';
import type { StateArgs } from './state.js';

type Context = CommandContext<StateArgs>;

/**
 * `omnize-sync state migrate --to postgres://…` (CONTRACT §16): copies the SQLite store `--state`
 * names into an empty PostgreSQL database, in one transaction, verified table by table. The
 * source's run lock is held throughout, so no run writes to it mid-copy; the source is left as
 * it was. The target's password comes from the URL, --state-password-file or PGPASSWORD.
 */
export async function runStateMigrate(context: Context): Promise<CommandResult> {
  const { to } = context.args;
  if (to === undefined || to.trim() === '') {
    throw new UsageError(
      'state migrate needs --to: omnize-sync state migrate --to postgres://USER@HOST:PORT/DB',
    );
  }
  if (!isPostgresUrl(to)) {
    throw new UsageError(`state migrate --to ${redactUrlPasswords(to)}: give a postgres:// URL`);
  }
  const config = context.config();
  if (isPostgresUrl(config.state)) {
    throw new UsageError(
      `state migrate copies an SQLite store: --state ${redactUrlPasswords(config.state)} is already PostgreSQL`,
    );
  }
  const passwordFile = config.statePasswordFile;
  const target = resolvePostgresTarget(to, {
    ...(passwordFile === undefined ? {} : { passwordFile: resolve(context.io.cwd, passwordFile) }),
    env: context.io.env,
  });
  const path = resolve(context.io.cwd, config.state);
  if (!existsSync(path)) throw new UsageError(`no state store at ${path}: nothing to migrate`);
  const store = StateStore.open(path);
  const runId = randomUUID();
  try {
    const lock = store.acquireLock({ runId, host: hostname(), pid: process.pid, command: 'state migrate' });
    if (!lock.acquired) throw lockHeldError(lock.holder, store.path);
    if (lock.tookOverFrom !== undefined) context.logger().warn(lockTakeoverMessage(lock.tookOverFrom));
    try {
      const copies = await copyFile(path, target);
      context.io.stdout.write(`${migrationSummary(path, target.redactedUrl, copies)}\n`);
      return DONE;
    } finally {
      store.releaseLock(runId);
    }
  } finally {
    store.close();
  }
}

async function copyFile(
  path: string,
  target: ReturnType<typeof resolvePostgresTarget>,
): Promise<TableCopy[]> {
  const source = new BetterSqlite3(path, { readonly: true, ...nativeBinding() });
  const pool = createPool(target);
  try {
    const client = await pool.connect().catch((error: unknown) => {
      throw connectionError(error, target.redactedUrl);
    });
    try {
      return await copyToPostgres(source, client, target.redactedUrl);
    } finally {
      client.release();
    }
  } finally {
    source.close();
    await pool.end();
  }
}

/** `copied the state store FILE to URL: meta 2, accounts 3, … rows; every table's row count and digest verified` */
export function migrationSummary(path: string, display: string, copies: readonly TableCopy[]): string {
  const counts = copies.map((copy) => `${copy.table} ${copy.rows}`).join(', ');
  return (
    `copied the state store ${path} to ${display}: ${counts} rows; every table's row count and digest verified. ` +
    `Point --state at the URL from now on; ${path} is left as it was.`
  );
}
