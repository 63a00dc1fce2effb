import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { InternalError, UsageError } from '../../errors.js';
import { POSTGRES_MIGRATIONS, SCHEMA_VERSION_TABLE } from './schema.js';

/**
 * `state migrate --to postgres://…`: the rows of an SQLite store copied into an EMPTY
 * PostgreSQL database in ONE transaction — schema, rows, and the check that each table holds
 * the same number of rows with the same digest on both sides — so the target either gets a
 * verified copy or nothing at all. The run lock's row is not copied: it is the bookkeeping of
 * the run holding the source (this one), not state.
 */

/** Copied tables and their order (ORDER BY gives the same order in both: byte order for text keys). */
export const COPIED_TABLES = [
  { name: 'meta', orderBy: 'name' },
  { name: 'accounts', orderBy: 'key' },
  { name: 'agents', orderBy: 'account_id, email' },
  { name: 'kinds_seen', orderBy: 'kind' },
  { name: 'journal', orderBy: 'id' },
  { name: 'runs', orderBy: 'id' },
  { name: 'departments', orderBy: 'account_id, department_id' },
  { name: 'memberships', orderBy: 'account_id, department_id, kind, member' },
  { name: 'learned_rates', orderBy: 'base_url' },
] as const;

/** Rows per INSERT: 14 journal columns × 1000 stays far below PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000;

export interface TableCopy {
  table: string;
  rows: number;
  /** SHA-256 of the table's rows in canonical form; the same on both sides, or the copy is rolled back. */
  digest: string;
}

type Row = unknown[];

/** A value as both sides hold it: SQLite's serial integer is PostgreSQL's text, its key blob is hex text. */
function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return String(value);
}

export function digestRows(rows: Iterable<Row>): { rows: number; digest: string } {
  const hash = createHash('sha256');
  let count = 0;
  for (const row of rows) {
    hash.update(`${JSON.stringify(row.map(canonical))}\n`);
    count += 1;
  }
  return { rows: count, digest: hash.digest('hex') };
}

/** Names of the relations already in the target (tables, views, sequences…), outside the system schemas. */
export async function existingRelations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
     ORDER BY c.relname`,
  );
  return rows.map((row) => row.name);
}

/**
 * Copies `source` (an SQLite store at the current schema version, read in one snapshot) into
 * the database `client` is connected to. Refuses a non-empty database before writing anything.
 */
export async function copyToPostgres(
  source: Database,
  client: pg.ClientBase,
  display: string,
): Promise<TableCopy[]> {
  const existing = await existingRelations(client);
  if (existing.length > 0) {
    const shown = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ', …' : '');
    throw new UsageError(
      `state migrate: the database ${display} is not empty (${existing.length} relation${existing.length === 1 ? '' : 's'}: ${shown}); it copies only into an empty database`,
    );
  }
  await client.query('BEGIN');
  try {
    for (const migration of POSTGRES_MIGRATIONS) {
      await client.query(migration.sql);
    }
    await client.query(
      `CREATE TABLE ${SCHEMA_VERSION_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    for (const { version, description } of POSTGRES_MIGRATIONS) {
      await client.query(`INSERT INTO ${SCHEMA_VERSION_TABLE} (version, description) VALUES ($1, $2)`, [
        version,
        description,
      ]);
    }
    // The first step seeds the serial; the source's own meta rows replace it.
    await client.query('DELETE FROM meta');
    const copies: TableCopy[] = [];
    source.exec('BEGIN');
    try {
      for (const table of COPIED_TABLES) copies.push(await copyTable(source, client, table));
    } finally {
      source.exec('COMMIT');
    }
    // The copied ids are explicit: the identities continue after them.
    for (const table of ['journal', 'runs']) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
      );
    }
    await client.query('COMMIT');
    return copies;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

async function copyTable(
  source: Database,
  client: pg.ClientBase,
  table: (typeof COPIED_TABLES)[number],
): Promise<TableCopy> {
  const columns = source.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table.name) as string[];
  const select = `SELECT ${columns.join(', ')} FROM ${table.name} ORDER BY ${table.orderBy}`;
  const read = () => source.prepare(select).raw(true).iterate() as IterableIterator<Row>;
  let batch: Row[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const start = values.length;
      for (const value of row) values.push(Buffer.isBuffer(value) ? value.toString('hex') : value);
      return `(${row.map((_, index) => `$${start + index + 1}`).join(', ')})`;
    });
    await client.query(
      `INSERT INTO ${table.name} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
      values,
    );
    batch = [];
  };
  for (const row of read()) {
    batch.push(row);
    if (batch.length === ROWS_PER_INSERT) await flush();
  }
  await flush();
  const expected = digestRows(read());
  const copied = await client.query<Row>({
    text: `${select.replace(/ORDER BY .*/, '')} ORDER BY ${collated(table.orderBy)}`,
    rowMode: 'array',
  });
  const found = digestRows(copied.rows);
  if (found.rows !== expected.rows || found.digest !== expected.digest) {
    throw new InternalError(
      `state migrate: table ${table.name} did not copy whole (${expected.rows} rows, ${found.rows} copied; ` +
        `digest ${expected.digest.slice(0, 12)} vs ${found.digest.slice(0, 12)}); nothing was written`,
    );
  }
  return { table: table.name, ...expected };
}

/** PostgreSQL's ORDER BY in SQLite's (binary) order: text keys compared as bytes. */
function collated(orderBy: string): string {
  return orderBy
    .split(', ')
    .map((column) =>
      ['name', 'key', 'kind', 'email', 'member', 'base_url'].includes(column)
        ? `${column} COLLATE "C"`
        : column,
    )
    .join(', ');
}
