import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { formatProblem, loadManifest } from '../../../src/manifest/index.js';

/**
 * A temporary folder for a test file's manifests, removed afterwards. Each
 * `manifest(...)` writes its files into a fresh subfolder and returns its
 * name, relative to `root()` (the cwd the manifests are loaded from).
 */
export function temporaryManifests() {
  let root = '';
  let counter = 0;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'omnize-manifest-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  return {
    root: () => root,
    async manifest(files: Record<string, string>): Promise<string> {
      counter += 1;
      const folder = `m${counter}`;
      await mkdir(join(root, folder));
      for (const [name, content] of Object.entries(files)) await writeFile(join(root, folder, name), content);
      return folder;
    },
    /** The problems of loading `paths` from the root, as `validate` prints them. */
    async problemLines(paths: string[]): Promise<string[]> {
      const loaded = await loadManifest(paths, { cwd: root });
      return loaded.problems.map(formatProblem);
    },
  };
}
