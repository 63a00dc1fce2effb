import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMTOOL, runsHere } from '../real-tools.js';

/** The alert rules of the README's "Alert rules" section, checked and unit-tested with promtool. */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function rulesBlock(): string {
  const section = README.slice(README.indexOf('### Alert rules'));
  const match = /```yaml\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error('README has no yaml block under "### Alert rules"');
  return match[1]!;
}

const folder = mkdtempSync(join(tmpdir(), 'omnize-rules-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const DESCRIPTION =
  "Exit 1: configuration, manifest or token; 3: some actions failed; 4: the safety guard stopped it. Read the run's report folder.";

/** promtool's rule unit tests: each alert fires when it should and not before. Time starts at 0 (Unix epoch). */
const RULE_TESTS = {
  rule_files: ['rules.yaml'],
  evaluation_interval: '1m',
  tests: [
    {
      interval: '1m',
      input_series: [
        { series: 'omnize_sync_last_run_exit_code{command="apply"}', values: '0 3 3' },
        { series: 'omnize_sync_last_run_exit_code{command="plan"}', values: '1 1 1' },
        { series: 'omnize_sync_last_run_drift_changes{command="apply"}', values: '5 21 21' },
      ],
      alert_rule_test: [
        { eval_time: '0m', alertname: 'OmnizeSyncFailing', exp_alerts: [] },
        {
          eval_time: '2m',
          alertname: 'OmnizeSyncFailing',
          exp_alerts: [
            {
              exp_labels: { severity: 'warning', command: 'apply' },
              exp_annotations: { summary: 'omnize-sync apply ended with exit 3', description: DESCRIPTION },
            },
          ],
        },
        { eval_time: '0m', alertname: 'OmnizeSyncDrift', exp_alerts: [] },
        {
          eval_time: '2m',
          alertname: 'OmnizeSyncDrift',
          exp_alerts: [
            {
              exp_labels: { severity: 'info', command: 'apply' },
              exp_annotations: { summary: 'omnize-sync undid 21 changes made in Omnize outside it' },
            },
          ],
        },
      ],
    },
    {
      // The last success at time 0, and never again: 26 h later the rule is pending, an hour after it fires.
      interval: '10m',
      input_series: [
        { series: 'omnize_sync_last_success_timestamp_seconds{command="apply"}', values: '0x200' },
      ],
      alert_rule_test: [
        { eval_time: '25h', alertname: 'OmnizeSyncNoRecentSuccess', exp_alerts: [] },
        { eval_time: '26h30m', alertname: 'OmnizeSyncNoRecentSuccess', exp_alerts: [] },
        {
          eval_time: '27h30m',
          alertname: 'OmnizeSyncNoRecentSuccess',
          exp_alerts: [
            {
              exp_labels: { severity: 'critical', command: 'apply' },
              exp_annotations: { summary: 'omnize-sync apply has not succeeded for 26 hours' },
            },
          ],
        },
      ],
    },
    {
      // A job that never succeeded (or never ran) has no last-success series at all.
      interval: '10m',
      input_series: [{ series: 'omnize_sync_last_run_exit_code{command="apply"}', values: '1x20' }],
      alert_rule_test: [
        { eval_time: '30m', alertname: 'OmnizeSyncNoRecentSuccess', exp_alerts: [] },
        {
          eval_time: '70m',
          alertname: 'OmnizeSyncNoRecentSuccess',
          exp_alerts: [
            {
              exp_labels: { severity: 'critical', command: 'apply' },
              exp_annotations: { summary: 'omnize-sync apply has not succeeded for 26 hours' },
            },
          ],
        },
      ],
    },
  ],
};

describe('the README alert rules', () => {
  it('are the three rules: failing, no success for 26 h, drift above a threshold', () => {
    const rules = parse(rulesBlock()) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const byName = Object.fromEntries(rules.groups[0]!.rules.map((rule) => [rule.alert, rule.expr]));
    expect(Object.keys(byName)).toEqual([
      'OmnizeSyncFailing',
      'OmnizeSyncNoRecentSuccess',
      'OmnizeSyncDrift',
    ]);
    expect(byName.OmnizeSyncNoRecentSuccess).toContain('26 * 3600');
  });
});

describe.runIf(runsHere(PROMTOOL))('the README alert rules against promtool', () => {
  it('pass `promtool check rules`', () => {
    writeFileSync(join(folder, 'rules.yaml'), rulesBlock());
    const checked = spawnSync(PROMTOOL, ['check', 'rules', 'rules.yaml'], { cwd: folder, encoding: 'utf8' });
    expect(checked.error).toBeUndefined();
    expect(checked.stdout).toContain('SUCCESS: 3 rules found');
    expect(checked.status).toBe(0);
  });

  it('fire when they should and not before (`promtool test rules`)', () => {
    writeFileSync(join(folder, 'rules.yaml'), rulesBlock());
    writeFileSync(join(folder, 'tests.yaml'), JSON.stringify(RULE_TESTS));
    const tested = spawnSync(PROMTOOL, ['test', 'rules', 'tests.yaml'], { cwd: folder, encoding: 'utf8' });
    expect(`${tested.stdout}${tested.stderr}`).toContain('SUCCESS');
    expect(tested.status).toBe(0);
  });

  it('make promtool fail on a broken expression (the check is real)', () => {
    writeFileSync(join(folder, 'broken.yaml'), rulesBlock().replace('!= 0', '!= )'));
    const checked = spawnSync(PROMTOOL, ['check', 'rules', 'broken.yaml'], { cwd: folder, encoding: 'utf8' });
    expect(checked.status).not.toBe(0);
  });
});
