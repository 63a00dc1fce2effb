import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { UsageError } from '../errors.js';

/** How long a write waits for another process's transaction before failing (SQLite busy timeout). */
export const BUSY_TIMEOUT_MS = 10_000;

/** What the table modules need from the store: cached prepared statements and the clock. */
export interface Sql {
  database: Database;
  /** A prepared statement, compiled once per store (bulk runs record tens of thousands of rows). */
  prepare(text: string): Statement;
  /** The current time as an ISO 8601 string (UTC); tests give their own clock. */
  now(): string;
  /** Runs `work` in a write transaction: IMMEDIATE, so a read is never upgraded to a write while another process writes. */
  write<T>(work: () => T): T;
}

/**
 * The page cache of the connection, KiB (better-sqlite3's build defaults to 16 MB). Apply appends
 * journal rows and settles recent ones, which touches only the last pages; a 100k-agent apply
 * peaked ~15 MiB lower with 4 MB and ran no slower (0.33 ms of CPU a request either way).
 */
export const PAGE_CACHE_KIB = 4_000;

/** SQLite's durability levels the store uses: routine commits, and those that must survive a power cut. */
export const SYNCHRONOUS = { routine: 'NORMAL', durable: 'FULL' } as const;

/**
 * The path of better-sqlite3's compiled addon, handed to it: where npm builds it, or else where
 * the `bindings` package finds it from better-sqlite3's own folder, as better-sqlite3 would (it
 * asks from the file that calls it, which in the bundle is not in better-sqlite3's folder; and it
 * tries a dozen paths first, ~2-5 ms of every run).
 */
export function nativeBinding(moduleRoot = betterSqlite3Folder()): { nativeBinding: string } {
  const built = join(moduleRoot, 'build/Release/better_sqlite3.node');
  if (existsSync(built)) return { nativeBinding: built };
  const bindings = createRequire(join(moduleRoot, 'package.json'))('bindings') as (options: {
    bindings: string;
    module_root: string;
    path: true;
  }) => string;
  return {
    nativeBinding: bindings({ bindings: 'better_sqlite3.node', module_root: moduleRoot, path: true }),
  };
}

function betterSqlite3Folder(): string {
  return join(dirname(createRequire(import.meta.url).resolve('better-sqlite3')), '..');
}

/** Opens the file (creating it and its folder), in WAL mode. A file that cannot be used is a UsageError naming it. */
export function openDatabase(path: string): Database {
  let database: Database | undefined;
  try {
    const fullPath = resolve(path);
    mkdirSync(dirname(fullPath), { recursive: true });
    database = new BetterSqlite3(fullPath, { timeout: BUSY_TIMEOUT_MS, ...nativeBinding() });
    database.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives any crash of the process (kill -9 included); only a power cut or a lost
    // node can drop the last commits. The writes a power cut must not lose — a new account ID, an account
    // create about to be sent — are made with FULL by the store (`durably`). FULL everywhere costs a disk
    // flush per commit (bench/state-store.ts: ~3-10 ms on a busy disk, ~0.15 ms with NORMAL), three per
    // action, which held a 50 requests/s migration to 82% of its rate in bench:apply.
    database.pragma(`synchronous = ${SYNCHRONOUS.routine}`);
    database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    return database;
  } catch (error) {
    database?.close();
    throw unusableFile(error, path);
  }
}

function unusableFile(error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB') {
    return new UsageError(`state store ${path} is not an SQLite database; point --state at another file`);
  }
  if (
    /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM|SQLITE_AUTH|EACCES|EPERM|EROFS|ENOTDIR|EEXIST)/.test(code)
  ) {
    return new UsageError(
      `state store ${path} cannot be opened for writing (${code}); check --state and its folder`,
    );
  }
  return error;
}

export function createSql(database: Database, clock: () => Date): Sql {
  const cache = new Map<string, Statement>();
  // One transaction function for every write: better-sqlite3 builds four wrappers for each new one,
  // which took a commit of one row in WAL from ~10 µs to ~17 µs on this machine.
  const transaction = database.transaction((work: () => unknown) => work());
  return {
    database,
    prepare(text) {
      let statement = cache.get(text);
      if (statement === undefined) {
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
    now: () => clock().toISOString(),
    write: <T>(work: () => T) => transaction.immediate(work) as T,
  };
}
