import pg from 'pg';
import { UsageError } from '../../errors.js';
import { type PostgresTarget, redactUrlPasswords } from './connection.js';

/**
 * The connections of a PostgreSQL state store. A small pool, not one client: the lock's
 * heartbeat must not queue behind a long transaction (a `state migrate` copy, a big adoption),
 * or it would miss its lease while the store is busy.
 */

/** Connections at most: one for transactions, one for the heartbeat, one spare for reads. */
export const POOL_SIZE = 3;
/** Giving up on connecting: a database that does not answer in this long is reported, not waited for. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** A statement that takes longer than this is abandoned (a lost network answers nothing). */
export const QUERY_TIMEOUT_MS = 30_000;

/** bigint (OID 20) as a number: IDs and counts here stay far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
};

/** One statement's runner inside a transaction; `changes` counts rows written, as SQLite's total_changes. */
export interface Tx {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row>>;
  readonly changes: number;
}

export function createPool(target: PostgresTarget): pg.Pool {
  const pool = new pg.Pool({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    // Explicit, so that pg never falls back to reading a password of its own choosing.
    password: target.password ?? '',
    ...(target.ssl === undefined ? {} : { ssl: target.ssl }),
    application_name: target.applicationName,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    types,
  });
  // An idle connection the server closed (a restart, a network cut) is dropped from the pool;
  // without a listener its error would end the process. The next query connects again.
  pool.on('error', () => {});
  return pool;
}

/** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (tx: Tx) => Promise<T>,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
    let changes = 0;
    const tx: Tx = {
      async query(text, values) {
        const result = await client.query(text, values);
        if (result.command === 'INSERT' || result.command === 'UPDATE' || result.command === 'DELETE') {
          changes += result.rowCount ?? 0;
        }
        return result as never;
      },
      get changes() {
        return changes;
      },
    };
    const result = await work(tx);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * A failure to reach or log in to the database, as a one-line UsageError naming the URL with
 * its password as `***`; other errors pass through with any URL password in them masked.
 */
export function connectionError(error: unknown, display: string): unknown {
  const code = (error as { code?: string }).code ?? '';
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'nothing listens there (ECONNREFUSED)',
    ENOTFOUND: 'the host name is unknown (ENOTFOUND)',
    EAI_AGAIN: 'the host name cannot be resolved now (EAI_AGAIN)',
    ETIMEDOUT: 'it did not answer (ETIMEDOUT)',
    EHOSTUNREACH: 'the host is unreachable (EHOSTUNREACH)',
    '28P01': 'the password was refused',
    '28000': 'the server refused this user',
    '3D000': 'the database does not exist',
  };
  const timedOut = error instanceof Error && /timeout/i.test(error.message) && code === '';
  const reason =
    reasons[code] ?? (timedOut ? `it did not answer within ${CONNECT_TIMEOUT_MS / 1000} s` : undefined);
  if (reason !== undefined) {
    return new UsageError(
      `cannot open the state store ${display}: ${reason}; check --state and its password`,
    );
  }
  if (error instanceof Error) error.message = redactUrlPasswords(error.message);
  return error;
}
