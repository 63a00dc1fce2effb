import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: Debian's postgresql 15 binaries, `initdb` and
 * `pg_ctl` run as the `postgres` user (the server refuses root), listening on a free loopback
 * port with its socket in its own folder, removed at the end. Never mocked: when PostgreSQL is
 * missing, starting fails and so do the tests that need it (under CI and anywhere else).
 */

const run = promisify(execFile);

/** Debian's postgresql 15 (STACK-NOTES.md); OMNIZE_TEST_PG_BIN points elsewhere. */
export const PG_BIN = process.env.OMNIZE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** The password of the cluster's superuser: the tests check it never reaches an output. */
export const CLUSTER_PASSWORD = 'pg-test-S3cret-pass';
const SUPERUSER = 'omnize';

export interface TestCluster {
  port: number;
  /** The superuser's URL for `database`, password included. */
  url(database?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<TestCluster> {
  const initdb = join(PG_BIN, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL is not installed (no ${initdb}): the state store tests need a real one ` +
        '(apt-get install postgresql; .ci/run installs it)',
    );
  }
  const folder = mkdtempSync(join(tmpdir(), 'omnize-pg-'));
  const data = join(folder, 'data');
  const asPostgres = (command: string, args: string[]) =>
    run('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { timeout: 60_000 });
  const isRoot = process.getuid?.() === 0;
  const exec = isRoot ? asPostgres : (command: string, args: string[]) => run(join(PG_BIN, command), args);
  if (isRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(folder, uid, gid);
  }
  chmodSync(folder, 0o700);
  const passwordFile = join(folder, 'password');
  await writeOwned(passwordFile, CLUSTER_PASSWORD, isRoot);
  await exec('initdb', ['-D', data, '-U', SUPERUSER, '-A', 'scram-sha-256', `--pwfile=${passwordFile}`]);
  const port = await freePort();
  // fsync off: a test cluster lives for one file and durability is not what it tests.
  const options = `-k ${folder} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c max_connections=60`;
  await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'server.log'), '-w', 'start']);
  const url = (database = 'postgres') =>
    `postgres://${SUPERUSER}:${CLUSTER_PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function writeOwned(path: string, text: string, isRoot: boolean): Promise<void> {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, `${text}\n`, { mode: 0o600 });
  if (isRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(path, uid, gid);
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
