import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/state/index.js';
import { COPIED_TABLES } from '../../src/state/postgres/copy.js';
import {
  POSTGRES_MIGRATIONS,
  type PostgresMigration,
  postgresSchemaVersion,
  SCHEMA_VERSION_TABLE,
} from '../../src/state/postgres/schema.js';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { useStorePlace } from './backends.js';

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const columnsOf = (url: string, table: string) =>
  withClient(url, async (client) =>
    (
      await client.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
        [table],
      )
    ).rows.map((row) => row.column_name),
  );

describe('the PostgreSQL schema', () => {
  const place = useStorePlace('postgres');

  it('has the same history as the SQLite one: one step per version, same descriptions', () => {
    expect(POSTGRES_MIGRATIONS.map(({ version, description }) => ({ version, description }))).toEqual(
      MIGRATIONS.map(({ version, description }) => ({ version, description })),
    );
  });

  it('has the tables and columns of the SQLite schema, in the same order', async () => {
    await (await place.open()).close();
    const sqlite = (await import('better-sqlite3')).default;
    const file = new sqlite(':memory:');
    for (const migration of MIGRATIONS) file.exec(migration.sql);
    const tables = file
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const expected = file.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);
      expect(await columnsOf(place.location, table), table).toEqual(expected);
    }
    file.close();
  });

  it('has state migrate copy every table of the SQLite schema but the run lock', async () => {
    const sqlite = (await import('better-sqlite3')).default;
    const file = new sqlite(':memory:');
    for (const migration of MIGRATIONS) file.exec(migration.sql);
    const tables = file
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    file.close();
    expect(COPIED_TABLES.map((table) => table.name).sort()).toEqual(
      tables.filter((table) => table !== 'run_lock'),
    );
  });

  it('records each step in its version table, and opening again runs none', async () => {
    await (await place.open()).close();
    await (await place.open()).close();
    const rows = await withClient(
      place.location,
      async (client) =>
        (await client.query(`SELECT version, description FROM ${SCHEMA_VERSION_TABLE} ORDER BY version`))
          .rows,
    );
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map(({ version, description }) => ({ version, description })));
  });

  it('migrates when several first opens race, each step once', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => place.open()));
    const keys = new Set(stores.map((store) => store.fingerprint('same key for all')));
    expect(keys.size).toBe(1);
    expect(await withClient(place.location, postgresSchemaVersion)).toBe(POSTGRES_MIGRATIONS.length);
  });

  it('brings a database at an older version up to date, keeping its rows', async () => {
    const store = await place.open();
    await store.recordAccountCreated('acme', 7, { email: 'a@acme.com' });
    await store.close();
    const next: PostgresMigration = {
      version: POSTGRES_MIGRATIONS.length + 1,
      description: 'a later step',
      sql: 'ALTER TABLE accounts ADD COLUMN note TEXT; UPDATE accounts SET note = upper(key);',
    };
    const later = await PostgresStateStore.open(place.location, {
      migrations: [...POSTGRES_MIGRATIONS, next],
    });
    await later.close();
    const row = await withClient(place.location, async (client) => {
      expect(await postgresSchemaVersion(client)).toBe(next.version);
      return (await client.query('SELECT key, account_id, email, note FROM accounts')).rows[0];
    });
    expect(row).toEqual({ key: 'acme', account_id: '7', email: 'a@acme.com', note: 'ACME' });
  });

  it('leaves the database at its old version when a step fails half-way', async () => {
    await (await place.open()).close();
    const broken: PostgresMigration = {
      version: POSTGRES_MIGRATIONS.length + 1,
      description: 'fails half-way',
      sql: 'ALTER TABLE accounts ADD COLUMN note TEXT; SELECT * FROM no_such_table;',
    };
    await expect(
      PostgresStateStore.open(place.location, { migrations: [...POSTGRES_MIGRATIONS, broken] }),
    ).rejects.toThrow(/no_such_table/);
    expect(await withClient(place.location, postgresSchemaVersion)).toBe(POSTGRES_MIGRATIONS.length);
    expect(await columnsOf(place.location, 'accounts')).not.toContain('note');
  });

  it('refuses a database written by a newer omnize-sync, and leaves it alone', async () => {
    await (await place.open()).close();
    const newer = POSTGRES_MIGRATIONS.length + 1;
    await place.exec(
      `INSERT INTO ${SCHEMA_VERSION_TABLE} (version, description) VALUES (${newer}, 'future')`,
    );
    const opening = PostgresStateStore.open(place.location);
    await expect(opening).rejects.toThrow(UsageError);
    await expect(PostgresStateStore.open(place.location)).rejects.toThrow(
      new RegExp(
        `schema version ${newer}, newer than this omnize-sync knows \\(${POSTGRES_MIGRATIONS.length}\\)`,
      ),
    );
    expect(await withClient(place.location, postgresSchemaVersion)).toBe(newer);
  });
});
