import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { SavedManifestPath, SavedPlan } from '../../src/plan/index.js';
import { runManifest } from '../../src/run/inputs.js';

function savedWith(manifestPaths: SavedManifestPath[] | undefined): SavedPlan {
  return (manifestPaths === undefined ? {} : { manifestPaths }) as SavedPlan;
}

function existingFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'run-manifest-')), 'agents.csv');
  writeFileSync(path, 'account;email\r\n');
  return path;
}

describe('the manifest a run reads', () => {
  it('is the <manifest…> arguments when given, with or without a saved plan', () => {
    const recorded = savedWith([{ path: existingFile(), given: 'agents.csv' }]);
    expect(runManifest(['roster.xlsx'], undefined)).toEqual(['roster.xlsx']);
    expect(runManifest(['elsewhere/agents.csv'], recorded, 'p.json')).toEqual(['elsewhere/agents.csv']);
    // An old saved plan is fine while the manifest is named.
    expect(runManifest(['roster.xlsx'], savedWith(undefined), 'p.json')).toEqual(['roster.xlsx']);
  });

  it('is the saved plan’s recorded paths, shown as they were typed, when apply --plan names none', () => {
    const path = existingFile();
    expect(runManifest([], savedWith([{ path, given: 'roster/agents.csv' }]), 'p.json')).toEqual([
      { path, given: 'roster/agents.csv' },
    ]);
    expect(runManifest(undefined, savedWith([{ path, given: 'x.csv' }]), 'p.json')).toEqual([
      { path, given: 'x.csv' },
    ]);
  });

  it('is refused, saying the manifest must be named, for a saved plan that recorded no paths', () => {
    expect(() => runManifest([], savedWith(undefined), 'old.json')).toThrow(UsageError);
    expect(() => runManifest([], savedWith(undefined), 'old.json')).toThrow(
      '--plan old.json does not record its manifest (saved by an older omnize-sync): name the manifest, as in: apply <manifest…> --plan old.json',
    );
  });

  it('is refused, naming the path, when a recorded manifest path no longer exists', () => {
    const kept = existingFile();
    const gone = join(mkdtempSync(join(tmpdir(), 'run-manifest-')), 'departments.csv');
    const saved = savedWith([
      { path: kept, given: 'agents.csv' },
      { path: gone, given: 'departments.csv' },
    ]);
    expect(() => runManifest([], saved, 'p.json')).toThrow(
      `--plan p.json was made from ${gone}, which no longer exists: name the manifest, as in: apply <manifest…> --plan p.json`,
    );
  });

  it('keeps yargs’ own error without a saved plan or a manifest', () => {
    expect(() => runManifest([], undefined)).toThrow(
      'Not enough non-option arguments: got 0, need at least 1',
    );
  });
});
