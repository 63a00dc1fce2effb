import { describe, expect, it } from 'vitest';
import { countStatuses, OutcomeTable } from '../../src/apply/outcome-table.js';
import { ReadyQueue } from '../../src/apply/ready-queue.js';
import { DependencyTracker } from '../../src/apply/tracker.js';
import type { PlannedAction } from '../../src/plan/action.js';
import { accountCreate, agentCreate } from './plans.js';

function tableOf(ids: string[]): OutcomeTable {
  return new OutcomeTable(ids, new Map(ids.map((id, position) => [id, position])));
}

describe('the outcome table', () => {
  it('gives back every outcome as it was recorded, in plan order, and only those recorded', () => {
    const table = tableOf(['a', 'b', 'c', 'd', 'e']);
    const failed = {
      status: 'failed',
      error: { kind: 'rejected', message: 'no' },
      attempts: 1,
      durationMs: 3,
    } as const;
    const found = { status: 'ok', remoteId: 8, foundByLookup: true, attempts: 2, durationMs: 9.5 } as const;
    table.set(3, failed);
    table.set(0, { status: 'ok', remoteId: 41, attempts: 1, durationMs: 2.25 });
    table.set(1, { status: 'ok', attempts: 1, durationMs: 0 });
    table.set(4, found);
    expect(table.size).toBe(4);
    expect([...table]).toEqual([
      ['a', { status: 'ok', remoteId: 41, attempts: 1, durationMs: 2.25 }],
      ['b', { status: 'ok', attempts: 1, durationMs: 0 }],
      ['d', failed],
      ['e', found],
    ]);
    expect(table.get('b')).not.toHaveProperty('remoteId');
    expect(table.get('c')).toBeUndefined();
    expect([table.has('c'), table.has('d'), table.has('nowhere')]).toEqual([false, true, false]);
    expect([...table.keys()]).toEqual(['a', 'b', 'd', 'e']);
  });

  it('counts its outcomes by status as a map of the same outcomes would, an outcome set twice once', () => {
    const table = tableOf(['a', 'b', 'c', 'd', 'e', 'f']);
    table.set(0, { status: 'ok', remoteId: 41, attempts: 1, durationMs: 2 });
    table.set(1, {
      status: 'unknown',
      error: { kind: 'transient', message: 'no answer' },
      attempts: 3,
      durationMs: 9,
    });
    table.set(2, { status: 'skipped', because: 'stopped', attempts: 0, durationMs: 0 });
    table.set(4, {
      status: 'failed',
      error: { kind: 'rejected', message: 'no' },
      attempts: 1,
      durationMs: 3,
    });
    table.set(4, { status: 'ok', attempts: 2, durationMs: 5 });
    const counts = { ok: 2, failed: 0, skipped: 1, unknown: 1 };
    expect(countStatuses(table)).toEqual(counts);
    expect(countStatuses(new Map(table))).toEqual(counts);
  });
});

describe('the dependency tracker', () => {
  it('hands an action over once the last action it waits for has finished, misplaced ones at once', () => {
    const account = accountCreate('acme');
    const ana = agentCreate(account, 'ana@acme.example');
    const bia = agentCreate(account, 'bia@acme.example');
    const late = { ...agentCreate(account, 'late@acme.example'), dependsOn: ['nowhere'] };
    const actions: PlannedAction[] = [account, ana, late, bia];
    const handed: string[] = [];
    const tracker = new DependencyTracker(
      actions,
      new Map(actions.map((action, position) => [action.id, position])),
      (position) => handed.push(`ready ${actions[position]!.target}`),
      (position, because) => handed.push(`misplaced ${actions[position]!.target}: ${because}`),
    );
    tracker.start();
    expect(handed).toEqual([
      'ready acme',
      'misplaced late@acme.example: it depends on an action the plan does not hold; make the plan again',
    ]);
    tracker.finished(0);
    expect(handed.slice(2)).toEqual(['ready ana@acme.example', 'ready bia@acme.example']);
  });
});

describe('the ready queue', () => {
  it('gives positions back first in, first out, however many pass through it', () => {
    const queue = new ReadyQueue();
    const out: number[] = [];
    for (let position = 0; position < 5000; position += 1) {
      queue.push(position);
      if (position % 3 === 0) out.push(queue.shift()!);
    }
    while (queue.length > 0) out.push(queue.shift()!);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, position) => position));
    expect(queue.shift()).toBeUndefined();
  });
});
