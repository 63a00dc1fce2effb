import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AutoRateReport } from '../../src/limits/auto-rate.js';
import { StateStore } from '../../src/state/index.js';
import { createWorld, readJson, type World } from './harness.js';
import { writeRoster } from './roster.js';

function roster(world: World, prefix: string, agentsPerAccount: number): string {
  return writeRoster(join(world.dir, `roster-${prefix}`), {
    accounts: [{ key: `${prefix}1` }, { key: `${prefix}2` }],
    departmentsPerAccount: 2,
    agentsPerAccount,
  });
}

function lastSummary(world: World): {
  rate: AutoRateReport | { mode: 'fixed'; rate: number };
  exitCode: number;
} {
  return readJson(join(world.reports().at(-1)!, 'summary.json'));
}

function busiestSecond(world: World): number {
  const times = world.sandbox.requests.map((request) => request.at);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while (times[last]! - times[first]! >= 1000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('apply --rate auto (end to end)', () => {
  let world: World;
  afterEach(async () => {
    await world?.close();
  });

  it('finds a limit it was not told, saves it per base URL, and the next run starts from it', async () => {
    world = await createWorld({ rateLimit: 15 });
    const first = await world.cli(['apply', roster(world, 'primeira', 60), '--yes', '--rate', 'auto']);
    expect(first.code).toBe(0);
    const learned = lastSummary(world).rate as AutoRateReport;
    expect(learned).toMatchObject({ mode: 'auto', start: 10, max: 100 });
    expect(learned.learned).toBeGreaterThan(10);
    expect(learned.learned).toBeLessThanOrEqual(16);
    const store = StateStore.open(world.statePath);
    try {
      expect(store.learnedRate(world.sandbox.baseUrl)).toBe(learned.learned);
    } finally {
      store.close();
    }
    const html = readFileSync(join(world.reports().at(-1)!, 'report.html'), 'utf8');
    expect(html).toContain('class="rate-in-force"');

    const second = await world.cli(['apply', roster(world, 'segunda', 60), '--yes'], {
      env: { OMNIZE_RATE: 'auto' },
    });
    expect(second.code).toBe(0);
    expect(lastSummary(world).rate).toMatchObject({ mode: 'auto', start: learned.learned });
  });

  it('never goes above --max-rate', async () => {
    world = await createWorld();
    const run = await world.cli([
      'apply',
      roster(world, 'cliente', 50),
      '--yes',
      '--rate',
      'auto',
      '--max-rate',
      '12',
    ]);
    expect(run.code).toBe(0);
    expect(lastSummary(world).rate).toMatchObject({ mode: 'auto', max: 12 });
    expect(world.sandbox.requests.length).toBeGreaterThan(100);
    expect(busiestSecond(world)).toBeLessThanOrEqual(12);
  });

  it('keeps a fixed --rate as it was: reported as fixed, nothing learned', async () => {
    world = await createWorld();
    const run = await world.cli(['apply', roster(world, 'cliente', 20), '--yes', '--rate', '40']);
    expect(run.code).toBe(0);
    expect(lastSummary(world).rate).toEqual({ mode: 'fixed', rate: 40 });
    const store = StateStore.open(world.statePath);
    try {
      expect(store.learnedRate(world.sandbox.baseUrl)).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('refuses --rate fast before any request, naming the flag', async () => {
    world = await createWorld();
    const run = await world.cli(['apply', roster(world, 'cliente', 2), '--yes', '--rate', 'fast']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('flag --rate: must be a number of requests per second');
    expect(world.sandbox.requests).toEqual([]);
  });
});
