import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, type World } from './harness.js';

describe('what a run will write is checked before its first request', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('apply with --report-dir naming a regular file: exit 1, one line naming the flag, nothing sent', async () => {
    world = await createDemoWorld();
    const notAFolder = join(world.dir, 'reports-file');
    writeFileSync(notAFolder, 'a file where the reports would go\n');
    const run = await world.cli(['apply', 'demo', '--yes', '--report-dir', notAFolder]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `omnize-sync: --report-dir ${notAFolder}: cannot write reports there (a file stands where a folder should be)`,
    ]);
    expect(world.sandbox.requests).toEqual([]);
  });

  it('plan --out into a folder that does not exist: exit 1 before any request', async () => {
    world = await createDemoWorld();
    const run = await world.cli(['plan', 'demo', '--out', 'missing/plan.json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'omnize-sync: --out missing/plan.json: cannot write it (its folder does not exist)',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(world.sandbox.requests).toEqual([]);
  });
});
