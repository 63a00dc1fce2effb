import type { Database } from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { GENERATED_PASSWORD_MARK } from './fingerprint.js';

/**
 * One step of the state store's schema. Steps run in order, each in its own
 * transaction together with the bump of SQLite's `user_version`, so a file is
 * always at exactly one version: a step that fails leaves the file as it was.
 * Steps are never edited once released; a change is a new step.
 */
export interface Migration {
  /** The `user_version` the file has after this step: 1, 2, 3… without gaps. */
  version: number;
  description: string;
  sql: string;
}

/** The schema as data (the list is the whole history; the last version is the current one). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, agents, kinds seen, journal, run lock',
    sql: `
      CREATE TABLE meta (
        name TEXT PRIMARY KEY,
        value ANY NOT NULL
      ) STRICT;
      INSERT INTO meta (name, value) VALUES ('serial', 0);

      CREATE TABLE accounts (
        key TEXT PRIMARY KEY,
        account_id INTEGER UNIQUE,
        create_state TEXT NOT NULL CHECK (create_state IN ('known', 'unknown')),
        email TEXT,
        main_contact TEXT,
        phone TEXT,
        url TEXT,
        license_quantity INTEGER,
        license_code TEXT,
        status TEXT CHECK (status IN ('active', 'inactive', 'deleted')),
        password_fingerprint TEXT,
        recorded_at TEXT NOT NULL,
        last_applied_at TEXT,
        CHECK ((create_state = 'unknown') = (account_id IS NULL))
      ) STRICT;

      CREATE TABLE agents (
        account_id INTEGER NOT NULL,
        email TEXT NOT NULL,
        text_limit INTEGER,
        password_fingerprint TEXT,
        last_applied_at TEXT NOT NULL,
        PRIMARY KEY (account_id, email)
      ) STRICT;

      CREATE TABLE kinds_seen (
        kind TEXT PRIMARY KEY CHECK (kind IN ('accounts', 'departments', 'agents')),
        first_seen_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE journal (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        account_key TEXT,
        target TEXT NOT NULL,
        request TEXT NOT NULL,
        begun_at TEXT NOT NULL,
        settled_at TEXT,
        outcome TEXT CHECK (outcome IN ('ok', 'failed', 'unknown')),
        remote_id INTEGER,
        error TEXT,
        resolved_at TEXT,
        resolution TEXT
      ) STRICT;
      CREATE INDEX journal_open ON journal (begun_at) WHERE settled_at IS NULL AND resolved_at IS NULL;
      CREATE INDEX journal_run ON journal (run_id);

      CREATE TABLE run_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        run_id TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        pid_scope TEXT NOT NULL,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        process_started_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'run history',
    // One row per plan/apply run: written when it starts (status running) and when it ends, so a
    // run that died (kill -9, a lost container) is left running and the next run marks it died.
    // Counts are JSON ({kind: {outcome: n}}); scope is the scoped run's selectors, null for all.
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL UNIQUE,
        command TEXT NOT NULL CHECK (command IN ('plan', 'apply')),
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'died')),
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        pid_scope TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        exit_code INTEGER,
        ending TEXT,
        counts TEXT,
        read_requests INTEGER,
        write_requests INTEGER,
        retries INTEGER,
        drift_changes INTEGER,
        report_folder TEXT,
        scope TEXT,
        notified_at TEXT,
        CHECK ((status = 'finished') = (exit_code IS NOT NULL))
      ) STRICT;
      CREATE INDEX runs_command ON runs (command, id);
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';
    `,
  },
  {
    version: 3,
    description: 'last applied agent name and profile, department values and memberships (drift)',
    // Each value is nullable: null is "never recorded", which plans as cause `new` (CONTRACT §14).
    sql: `
      ALTER TABLE agents ADD COLUMN name TEXT;
      ALTER TABLE agents ADD COLUMN profile TEXT;

      CREATE TABLE departments (
        account_id INTEGER NOT NULL,
        department_id INTEGER NOT NULL,
        name TEXT,
        description TEXT,
        active INTEGER CHECK (active IN (0, 1)),
        last_applied_at TEXT NOT NULL,
        PRIMARY KEY (account_id, department_id)
      ) STRICT;

      CREATE TABLE memberships (
        account_id INTEGER NOT NULL,
        department_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('agent', 'channel')),
        member TEXT NOT NULL,
        present INTEGER NOT NULL CHECK (present IN (0, 1)),
        PRIMARY KEY (account_id, department_id, kind, member)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 'the request rate --rate auto learned, per Partner API base URL',
    // The base URL is kept without user info or query (learned-rate.ts), so no secret lands here.
    sql: `
      CREATE TABLE learned_rates (
        base_url TEXT PRIMARY KEY,
        rate REAL NOT NULL CHECK (rate > 0),
        learned_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    description: 'agents given a random password by earlier versions are marked so',
    // Before this step an agent on record without a fingerprint had been given a password by this
    // tool (a random one, or none sent while the manifest had no password column), and a manifest
    // password that came later was sent. Now apply also records agents it only found matching, with
    // no fingerprint, which keep their own password; the rows from before keep their behaviour.
    sql: `
      UPDATE agents SET password_fingerprint = '${GENERATED_PASSWORD_MARK}' WHERE password_fingerprint IS NULL;
    `,
  },
];

/** The schema version this program writes. */
export const CURRENT_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings the open database up to the last version of `migrations`. A file
 * written by a newer program is refused rather than guessed at. `path` is for
 * messages only.
 */
export function migrate(
  database: Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const found = schemaVersion(database);
  if (found > latest) {
    throw new UsageError(
      `state store ${path} has schema version ${found}, newer than this omnize-sync knows (${latest}): ` +
        'upgrade omnize-sync, or point --state at another file',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    // IMMEDIATE: two programs opening the same old file at once must not both run a step.
    database
      .transaction(() => {
        if (schemaVersion(database) >= migration.version) return;
        database.exec(migration.sql);
        database.pragma(`user_version = ${migration.version}`);
      })
      .immediate();
  }
}

export function schemaVersion(database: Database): number {
  return database.pragma('user_version', { simple: true }) as number;
}
