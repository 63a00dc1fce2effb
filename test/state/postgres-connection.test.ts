import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError, UsageError } from '../../src/errors.js';
import {
  isPostgresUrl,
  parsePostgresUrl,
  redactUrlPasswords,
  resolvePostgresTarget,
} from '../../src/state/postgres/connection.js';
import { PostgresStateStore } from '../../src/state/postgres/store.js';
import { StateStore } from '../../src/state/store.js';
import { freePort } from '../postgres/cluster.js';
import { usageRefusal } from '../usage-refusal.js';
import { useStorePlace } from './backends.js';
import { tempFolder } from './temp-store.js';

const SECRET = 'S3cr3t-p@ss/word';
const URL_WITH_SECRET = `postgres://omnize:${encodeURIComponent(SECRET)}@db.example.com:6432/omnize_state`;

describe('--state postgres://…', () => {
  it('tells a URL from an SQLite path', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('PostgreSQL://u@h/db')).toBe(true);
    expect(isPostgresUrl('./omnize-sync.db')).toBe(false);
    expect(isPostgresUrl('/srv/postgres://x')).toBe(false);
  });

  it('parses user, host, port and database, and shows the URL with the password as ***', () => {
    const target = resolvePostgresTarget(URL_WITH_SECRET);
    expect(target).toMatchObject({
      host: 'db.example.com',
      port: 6432,
      database: 'omnize_state',
      user: 'omnize',
      password: SECRET,
      redactedUrl: 'postgres://omnize:***@db.example.com:6432/omnize_state',
    });
    expect(parsePostgresUrl('postgresql://ops@[::1]/state?sslmode=require')).toMatchObject({
      host: '::1',
      port: 5432,
      ssl: { rejectUnauthorized: false },
      redactedUrl: 'postgresql://ops@[::1]/state?sslmode=require',
    });
  });

  it('takes the password from the URL, else --state-password-file, else PGPASSWORD', () => {
    const file = join(tempFolder(), 'password');
    writeFileSync(file, 'from-the-file\n');
    const bare = 'postgres://omnize@db:5432/state';
    const env = { PGPASSWORD: 'from-the-env' };
    expect(resolvePostgresTarget(URL_WITH_SECRET, { env }).password).toBe(SECRET);
    expect(resolvePostgresTarget(bare, { passwordFile: file, env }).password).toBe('from-the-file');
    expect(resolvePostgresTarget(bare, { env }).password).toBe('from-the-env');
    expect(resolvePostgresTarget(bare, { env: {} }).password).toBeUndefined();
  });

  it('refuses each kind of bad URL or password source with a one-line error that never holds the password', () => {
    const file = join(tempFolder(), 'password');
    writeFileSync(file, '\n');
    const cases: [string, () => unknown, RegExp][] = [
      [
        'no database',
        () => parsePostgresUrl(`postgres://omnize:${SECRET}@db/`),
        /must name a user, a host and a database/,
      ],
      [
        'no user',
        () => parsePostgresUrl('postgres://db:5432/state'),
        /must name a user, a host and a database/,
      ],
      [
        'bad port',
        () => parsePostgresUrl(`postgres://omnize:${encodeURIComponent(SECRET)}@db:99999/state`),
        /is not a valid postgres:\/\/ URL/,
      ],
      [
        'password not encoded',
        () => parsePostgresUrl(`postgres://omnize:${SECRET}@db:5432/state`),
        /must name a user, a host and a database/,
      ],
      [
        'unknown parameter',
        () => parsePostgresUrl(`${URL_WITH_SECRET}?timeout=3`),
        /unknown parameter "timeout"/,
      ],
      ['bad sslmode', () => parsePostgresUrl(`${URL_WITH_SECRET}?sslmode=maybe`), /sslmode must be one of/],
      ['two passwords', () => resolvePostgresTarget(URL_WITH_SECRET, { passwordFile: file }), /give it once/],
      ['empty file', () => resolvePostgresTarget('postgres://u@h/d', { passwordFile: file }), /is empty/],
      [
        'missing file',
        () => resolvePostgresTarget('postgres://u@h/d', { passwordFile: `${file}.x` }),
        /cannot be read \(ENOENT\)/,
      ],
    ];
    for (const [name, work, message] of cases) {
      const text = usageRefusal(work);
      expect(text, name).toMatch(message);
      expect(text, name).not.toContain(SECRET);
      expect(text, name).not.toContain('ss/word');
      expect(text, name).not.toContain(encodeURIComponent(SECRET));
      expect(text.includes('\n'), name).toBe(false);
    }
  });

  it('masks passwords of any URL in a text', () => {
    expect(redactUrlPasswords(`connect ${URL_WITH_SECRET} failed`)).toBe(
      'connect postgres://omnize:***@db.example.com:6432/omnize_state failed',
    );
    expect(redactUrlPasswords('postgres://omnize@db/x')).toBe('postgres://omnize@db/x');
  });

  it('is never taken for a file name by the SQLite store (openStateBackend opens it), nor named with its password', () => {
    let message = '';
    try {
      StateStore.open(URL_WITH_SECRET);
    } catch (error) {
      expect(error).toBeInstanceOf(InternalError);
      message = (error as Error).message;
    }
    expect(message).toContain('postgres://omnize:***@db.example.com:6432/omnize_state');
    expect(message).not.toContain(encodeURIComponent(SECRET));
  });
});

describe('opening a PostgreSQL store that cannot be used', () => {
  const place = useStorePlace('postgres');

  it('says the password was refused, naming the URL without it', async () => {
    const wrong = place.location.replace(/:[^:@/]*@/, `:${encodeURIComponent(SECRET)}@`);
    const opening = PostgresStateStore.open(wrong, { env: {} });
    await expect(opening).rejects.toThrow(UsageError);
    const message = await PostgresStateStore.open(wrong, { env: {} }).catch((error: Error) => error.message);
    expect(message).toMatch(
      /^cannot open the state store postgres:\/\/omnize:\*\*\*@127\.0\.0\.1:\d+\/\w+: the password was refused/,
    );
    expect(message).not.toContain(encodeURIComponent(SECRET));
  });

  it('takes the password from PGPASSWORD when the URL has none', async () => {
    const bare = place.location.replace(/:[^:@/]*@/, '@');
    const password = decodeURIComponent(/:([^:@/]*)@/.exec(place.location)?.[1] ?? '');
    const store = await PostgresStateStore.open(bare, { env: { PGPASSWORD: password } });
    expect(store.display).toBe(bare);
    await store.close();
  });

  it('says nothing listens at a port where nothing does', async () => {
    const port = await freePort();
    const message = await PostgresStateStore.open(
      `postgres://omnize:${encodeURIComponent(SECRET)}@127.0.0.1:${port}/x`,
    ).catch((error: Error) => error.message);
    expect(message).toBe(
      `cannot open the state store postgres://omnize:***@127.0.0.1:${port}/x: nothing listens there (ECONNREFUSED); check --state and its password`,
    );
  });
});
