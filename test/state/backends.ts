import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { StateBackend } from '../../src/state/backend.js';
import { PostgresStateStore, type PostgresStoreOptions } from '../../src/state/postgres/store.js';
import { SqliteBackend } from '../../src/state/sqlite-backend.js';
import { startCluster, type TestCluster } from '../postgres/cluster.js';
import { tempStorePath } from './temp-store.js';

/**
 * The store suite runs once per backend, through the asynchronous interface (backend.ts):
 * `describe.each(BACKENDS)` and, in it, `const place = useStorePlace(backend)`. Each test gets
 * a fresh, empty store place — a new SQLite file, or a PostgreSQL database emptied — and
 * `place.open()` opens stores on it (several: two runs sharing one store), closed after the test.
 *
 * PostgreSQL is a real cluster started for the test file (test/postgres/cluster.ts), never a
 * mock: where it cannot start, the PostgreSQL half of the suite fails.
 */

export type BackendName = 'sqlite' | 'postgres';
export const BACKENDS: BackendName[] = ['sqlite', 'postgres'];

export interface StoreOpenOptions {
  now?: () => Date;
  /** PostgreSQL only: a shorter stale limit for real-time lease tests. */
  staleAfterMs?: number;
  /** PostgreSQL only: connect through another URL (a proxy in front of the cluster). */
  url?: string;
}

export interface StorePlace {
  readonly backend: BackendName;
  /** The file path or the URL (password included) of this test's store. */
  readonly location: string;
  open(options?: StoreOpenOptions): Promise<StateBackend>;
  /** Runs raw SQL against the store's tables, outside the store (to play an old or odd row). */
  exec(sql: string): Promise<void>;
  /** Reads raw rows from the store's tables, outside the store (what is really on disk). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** The cluster (PostgreSQL only). */
  readonly cluster: TestCluster | undefined;
}

let cluster: TestCluster | undefined;
let clusterUsers = 0;
let databaseCount = 0;

/** The PostgreSQL cluster of this test file, started on first use, stopped after its last suite. */
export function useCluster(): () => TestCluster {
  beforeAll(async () => {
    clusterUsers += 1;
    cluster ??= await startCluster();
  }, 60_000);
  afterAll(async () => {
    clusterUsers -= 1;
    if (clusterUsers === 0 && cluster !== undefined) {
      const stopping = cluster;
      cluster = undefined;
      await stopping.stop();
    }
  });
  return () => {
    if (cluster === undefined) throw new Error('the PostgreSQL test cluster did not start');
    return cluster;
  };
}

export function useStorePlace(backend: BackendName): StorePlace {
  const getCluster = backend === 'postgres' ? useCluster() : undefined;
  const opened: StateBackend[] = [];
  let location = '';
  beforeEach(async () => {
    if (getCluster === undefined) location = tempStorePath();
    else {
      databaseCount += 1;
      location = await getCluster().createDatabase(`store_${process.pid}_${databaseCount}`);
    }
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const place: StorePlace = {
    backend,
    get location() {
      return location;
    },
    get cluster() {
      return getCluster?.();
    },
    async open(options = {}) {
      const store =
        backend === 'sqlite'
          ? SqliteBackend.open(location, options.now === undefined ? {} : { now: options.now })
          : await PostgresStateStore.open(options.url ?? location, pgOptions(options));
      opened.push(store);
      return store;
    },
    async exec(sql) {
      if (backend === 'sqlite') {
        const { default: BetterSqlite3 } = await import('better-sqlite3');
        const database = new BetterSqlite3(location);
        try {
          database.exec(sql);
        } finally {
          database.close();
        }
        return;
      }
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: location });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    async query(sql) {
      if (backend === 'sqlite') {
        const { default: BetterSqlite3 } = await import('better-sqlite3');
        const database = new BetterSqlite3(location, { readonly: true });
        try {
          return database.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          database.close();
        }
      }
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: location });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
  return place;
}

function pgOptions(options: StoreOpenOptions): PostgresStoreOptions {
  return {
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.staleAfterMs === undefined ? {} : { staleAfterMs: options.staleAfterMs }),
    env: {},
  };
}
