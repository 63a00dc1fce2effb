import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** Opens the file (creating it and its folder), in WAL mode. */
export function openDatabase(path: string): Database {
  const fullPath = resolve(path);
  mkdirSync(dirname(fullPath), { recursive: true });
  const database = new BetterSqlite3(fullPath, { timeout: BUSY_TIMEOUT_MS });
  try {
    database.pragma('journal_mode = WAL');
    // FULL: a new account ID must survive a power cut or a lost container, or the next run creates a duplicate.
    database.pragma('synchronous = FULL');
    return database;
  } catch (error) {
    database.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new UsageError(`state store ${path} is not an SQLite database; point --state at another file`);
    }
    throw error;
  }
}

export function createSql(database: Database, clock: () => Date): Sql {
  const cache = new Map<string, Statement>();
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
    write: (work) => database.transaction(work).immediate(),
  };
}
