import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { StateStore, type StateStoreOptions } from '../../src/state/index.js';

const folders: string[] = [];
const stores: StateStore[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'omnize-state-'));
  folders.push(folder);
  return folder;
}

/** A path for a store file in a fresh temporary folder. */
export function tempStorePath(name = 'state.db'): string {
  return join(tempFolder(), name);
}

/** Opens a store on a real file; it is closed after the test. */
export function openStore(path = tempStorePath(), options: StateStoreOptions = {}): StateStore {
  const store = StateStore.open(path, options);
  stores.push(store);
  return store;
}

/** A clock tests move by hand. */
export function manualClock(start = '2026-03-01T02:00:00.000Z') {
  let current = Date.parse(start);
  return {
    now: () => new Date(current),
    advance(milliseconds: number) {
      current += milliseconds;
    },
  };
}
