import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoWorld, type World } from './harness.js';

/**
 * What the built program loads outside its bundle. Each run is a process of its own, and every
 * module it loads is time at every start (scripts/bundle.js): pino's transport machinery and
 * node:assert have stand-ins in the bundle, better-sqlite3's JavaScript is in it, its addon not.
 */
describe('the modules a run of the built program loads', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('loads neither node:assert nor node:worker_threads, and of better-sqlite3 only its addon, in an apply', async () => {
    world = await createDemoWorld();
    const hook = join(world.dir, 'modules-hook.cjs');
    const record = join(world.dir, 'modules.json');
    writeFileSync(
      hook,
      `const Module = require('node:module');
      const load = Module._load;
      const requested = [];
      Module._load = function (request) { requested.push(request); return load.apply(this, arguments); };
      process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)},
        JSON.stringify({ requested, files: Object.keys(require.cache) })));`,
    );
    const run = await world.cli(['apply', 'demo', '--yes'], { env: { NODE_OPTIONS: `--require ${hook}` } });
    expect(run.code, run.stderr).toBe(0);
    expect(world.sandbox.requests.some((request) => request.method === 'POST')).toBe(true);
    const { requested, files } = JSON.parse(readFileSync(record, 'utf8')) as {
      requested: string[];
      files: string[];
    };
    expect(requested.filter((request) => /^(node:)?(assert|worker_threads)$/.test(request))).toEqual([]);
    const ofBetterSqlite3 = files.filter((file) => file.includes('/node_modules/better-sqlite3/'));
    expect(ofBetterSqlite3).toEqual([expect.stringMatching(/\/build\/Release\/better_sqlite3\.node$/)]);
  });
});
