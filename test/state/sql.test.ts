import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBinding, openDatabase } from '../../src/state/sql.js';

describe('opening the SQLite file', () => {
  it("names better-sqlite3's compiled addon where npm built it, so that no search for it runs", () => {
    const { nativeBinding: addon } = nativeBinding();
    expect(addon).toMatch(/better-sqlite3\/build\/Release\/better_sqlite3\.node$/);
    expect(existsSync(addon!)).toBe(true);
  });

  it('opens a file with that addon, in WAL mode', () => {
    const folder = mkdtempSync(join(tmpdir(), 'omnize-sql-'));
    const database = openDatabase(join(folder, 'state.db'));
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      database.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
