import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { GENERATED_PASSWORD_MARK } from '../../src/state/fingerprint.js';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, type Migration, StateStore } from '../../src/state/index.js';
import { migrate, schemaVersion } from '../../src/state/schema.js';
import { openStore, tempFolder, tempStorePath } from './temp-store.js';

function rawVersion(path: string): number {
  const database = new BetterSqlite3(path);
  try {
    return schemaVersion(database);
  } finally {
    database.close();
  }
}

describe('opening the state store', () => {
  it('creates the file and its missing folders, in WAL mode, at the current schema version', () => {
    const path = join(tempFolder(), 'deep', 'er', 'state.db');
    const store = openStore(path);
    expect(existsSync(path)).toBe(true);
    store.recordKindsSeen(['accounts']);
    expect(existsSync(`${path}-wal`)).toBe(true);
    store.close();
    const database = new BetterSqlite3(path);
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(database)).toBe(CURRENT_SCHEMA_VERSION);
    database.close();
  });

  it('keeps what it holds across a close and a second open, without migrating again', () => {
    const path = tempStorePath();
    const first = StateStore.open(path);
    first.recordAccountCreated('acme', 101, { email: 'ops@acme.com', licenseQuantity: 3 });
    const fingerprint = first.fingerprint('hunter22');
    const serial = first.serial();
    first.close();
    const second = openStore(path);
    expect(second.getAccount('acme')?.accountId).toBe(101);
    expect(second.serial()).toBe(serial);
    expect(second.fingerprint('hunter22')).toBe(fingerprint);
    expect(rawVersion(path)).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('lists its migrations as versions 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(CURRENT_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('migrates an empty SQLite file made elsewhere (version 0)', () => {
    const path = tempStorePath();
    new BetterSqlite3(path).exec('CREATE TABLE unrelated (x)').close();
    const store = openStore(path);
    store.recordAccountCreated('acme', 7, {});
    expect(store.listAccounts()).toHaveLength(1);
    expect(rawVersion(path)).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('brings a file at an older version up to date, keeping its rows', () => {
    const path = tempStorePath();
    openStore(path).recordAccountCreated('acme', 7, { email: 'a@acme.com' });
    const next: Migration = {
      version: CURRENT_SCHEMA_VERSION + 1,
      description: 'a later step',
      sql: 'ALTER TABLE accounts ADD COLUMN note TEXT; UPDATE accounts SET note = upper(key);',
    };
    const database = new BetterSqlite3(path);
    migrate(database, path, [...MIGRATIONS, next]);
    expect(schemaVersion(database)).toBe(next.version);
    expect(database.prepare('SELECT key, account_id, email, note FROM accounts').get()).toEqual({
      key: 'acme',
      account_id: 7,
      email: 'a@acme.com',
      note: 'ACME',
    });
    database.close();
  });

  it('marks, at step 5, the agents an earlier version gave a random password, and no agent with a fingerprint', () => {
    const path = tempStorePath();
    const database = new BetterSqlite3(path);
    migrate(
      database,
      path,
      MIGRATIONS.filter((migration) => migration.version <= 4),
    );
    const insert = database.prepare(
      "INSERT INTO agents (account_id, email, password_fingerprint, last_applied_at) VALUES (7, ?, ?, '2026-01-01')",
    );
    insert.run('generated@acme.com', null);
    insert.run('manifest@acme.com', `hmac-sha256:${'a'.repeat(64)}`);
    migrate(database, path);
    const rows = database.prepare('SELECT email, password_fingerprint FROM agents ORDER BY email').all();
    expect(rows).toEqual([
      { email: 'generated@acme.com', password_fingerprint: GENERATED_PASSWORD_MARK },
      { email: 'manifest@acme.com', password_fingerprint: `hmac-sha256:${'a'.repeat(64)}` },
    ]);
    database.close();
  });

  it('leaves the file at its old version when a step fails', () => {
    const path = tempStorePath();
    openStore(path).recordAccountCreated('acme', 7, {});
    const broken: Migration = {
      version: CURRENT_SCHEMA_VERSION + 1,
      description: 'fails half-way',
      sql: 'ALTER TABLE accounts ADD COLUMN note TEXT; SELECT * FROM no_such_table;',
    };
    const database = new BetterSqlite3(path);
    expect(() => migrate(database, path, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(schemaVersion(database)).toBe(CURRENT_SCHEMA_VERSION);
    const columns = database.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('accounts');
    expect(columns).not.toContain('note');
    database.close();
  });

  it('refuses a file written by a newer omnize-sync, and leaves it alone', () => {
    const path = tempStorePath();
    openStore(path).close();
    const database = new BetterSqlite3(path);
    database.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 1}`);
    database.close();
    expect(() => StateStore.open(path)).toThrow(UsageError);
    expect(() => StateStore.open(path)).toThrow(
      new RegExp(`schema version ${CURRENT_SCHEMA_VERSION + 1}, newer than this omnize-sync knows`),
    );
    expect(rawVersion(path)).toBe(CURRENT_SCHEMA_VERSION + 1);
  });

  it('refuses a file that is not an SQLite database with a clear message', () => {
    const path = tempStorePath('notes.db');
    writeFileSync(path, 'this is a text file, not a database\n'.repeat(50));
    expect(() => StateStore.open(path)).toThrow(/is not an SQLite database/);
  });

  it('refuses a path it cannot create, naming it', () => {
    const blocker = tempStorePath('plain-file');
    writeFileSync(blocker, 'a file where a folder should be');
    const path = join(blocker, 'state.db');
    expect(() => StateStore.open(path)).toThrow(UsageError);
    expect(() => StateStore.open(path)).toThrow(
      /plain-file\/state\.db cannot be opened for writing \(E(EXIST|NOTDIR)\)/,
    );
  });
});
