import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBinding, openDatabase } from '../../src/state/sql.js';

function mkdirp(folder: string, path: string): string {
  const made = join(folder, path);
  mkdirSync(made, { recursive: true });
  return made;
}

describe('opening the SQLite file', () => {
  it("names better-sqlite3's compiled addon where npm built it, so that no search for it runs", () => {
    const { nativeBinding: addon } = nativeBinding();
    expect(addon).toMatch(/better-sqlite3\/build\/Release\/better_sqlite3\.node$/);
    expect(existsSync(addon!)).toBe(true);
  });

  it("finds the addon of another kind of build where the bindings package looks for it, from better-sqlite3's folder", () => {
    const built = nativeBinding().nativeBinding;
    const moduleRoot = mkdtempSync(join(tmpdir(), 'omnize-addon-'));
    try {
      // bindings is resolved from the folder given, as from better-sqlite3's own.
      writeFileSync(join(moduleRoot, 'package.json'), '{}');
      symlinkSync(join(built, '../../../../bindings'), join(mkdirp(moduleRoot, 'node_modules'), 'bindings'));
      const debugBuild = join(mkdirp(moduleRoot, 'build/Debug'), 'better_sqlite3.node');
      copyFileSync(built, debugBuild);
      expect(nativeBinding(moduleRoot).nativeBinding).toBe(debugBuild);
    } finally {
      rmSync(moduleRoot, { recursive: true, force: true });
    }
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
