import { ACTION_KINDS, type ActionKind, type Notice, type Plan } from '../../src/plan/index.js';
import type { ResultOutcome, ResultRow } from '../../src/report/results.js';
import type { RunReport } from '../../src/report/write-report.js';

/** The department name a hostile or careless partner might type: it must show as text. */
export const SCRIPT_NAME = '<script>alert(1)</script>';
export const AMPERSAND_EMAIL = 'joão&maria@acme.com.br';
export const STARTED_AT = new Date('2026-11-29T02:15:00.000Z');

/** A result row with the fields the reports read; the rest filled in. */
export function resultRow(
  action: string,
  account: string,
  target: string,
  outcome: ResultOutcome,
  extra: Partial<ResultRow> = {},
): ResultRow {
  return {
    kind: action.split('.')[0] ?? action,
    account,
    target,
    action,
    outcome,
    error: '',
    remoteId: outcome === 'ok' ? '101' : '',
    attempts: outcome === 'skipped' ? 0 : 1,
    durationMs: 120,
    cause: 'manifest',
    ...extra,
  };
}

export function planWith(notices: Notice[]): Plan {
  const counts = Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;
  return {
    formatVersion: 1,
    createdAt: STARTED_AT.toISOString(),
    rememberedSerial: 3,
    actions: [],
    notices,
    counts,
    guard: { destructive: 0, limit: 5, inScope: 40, maxDeactivations: { percent: 10 }, exceeded: false },
  };
}

/**
 * An apply across three accounts: creates that worked, an agent whose e-mail was
 * taken, a department whose create failed and the actions skipped because of it,
 * a membership batch with one agent that did not land, an unknown outcome, and
 * an agent the API cannot deactivate.
 */
export function sampleRun(overrides: Partial<RunReport> = {}): RunReport {
  const file = 'roster.xlsx';
  const results: ResultRow[] = [
    resultRow('account.create', 'acme', 'acme', 'ok'),
    resultRow('account.create', 'são-paulo', 'são-paulo', 'ok'),
    resultRow('department.create', 'acme', 'Suporte', 'ok'),
    resultRow('department.create', 'acme', SCRIPT_NAME, 'failed', {
      error: 'Name has already been taken',
      source: { file, sheet: 'departments', row: 3 },
    }),
    resultRow('department.add_channels', 'acme', SCRIPT_NAME, 'skipped', {
      error: 'department.create of <script>alert(1)</script> failed',
    }),
    ...['ana', 'bia', 'caio', 'davi', 'eva', 'fábio', 'gil'].map((name) =>
      resultRow('agent.create', 'acme', `${name}@acme.com.br`, 'ok'),
    ),
    resultRow('agent.create', 'são-paulo', AMPERSAND_EMAIL, 'failed', {
      error: 'E-mail has already been taken',
      source: { file, sheet: 'agents', row: 9 },
    }),
    resultRow('agent.create', 'são-paulo', 'conceição@sp.com.br', 'unknown', {
      error: 'timed out after 30000 ms',
      source: { file, sheet: 'agents', row: 10 },
    }),
    resultRow('agent.update', 'acme', 'ana@acme.com.br', 'ok'),
    resultRow('department.add_agents', 'acme', 'Suporte', 'failed', {
      error: '1 of 3 agents not added to Suporte: gil@acme.com.br: Agent not found',
      source: { file, sheet: 'departments', row: 2 },
      memberFailures: [
        { label: 'gil@acme.com.br', error: 'Agent not found', source: { file, sheet: 'agents', row: 8 } },
      ],
    }),
    resultRow('account.set_licenses', 'beta', 'beta', 'ok'),
  ];
  const startedAt = STARTED_AT.getTime();
  // 90 requests, one every 110 ms from 300 ms into the run, counted per second.
  const counts = Array.from({ length: 11 }, () => 0);
  for (let index = 0; index < 90; index += 1) {
    const second = Math.floor((300 + index * 110) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  const requestsPerSecond = { since: startedAt, counts };
  return {
    command: 'apply',
    startedAt: STARTED_AT,
    finishedAt: new Date(startedAt + 12_400),
    exitCode: 3,
    plan: planWith([
      {
        kind: 'agent-still-active',
        account: 'acme',
        target: 'old.timer@acme.com.br',
        message:
          'agent old.timer@acme.com.br is not in the manifest but stays active: the API cannot deactivate agents',
      },
      {
        kind: 'prune-kind-skipped',
        account: 'beta',
        message: 'the departments sheet is empty: departments are not pruned',
      },
    ]),
    results,
    requests: { total: 90, reads: 40, writes: 50 },
    retries: 2,
    manifest: [file],
    requestsPerSecond,
    ...overrides,
  };
}
