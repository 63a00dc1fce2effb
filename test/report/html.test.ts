import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerSecret } from '../../src/log/redact.js';
import { formatDuration } from '../../src/report/html/escape.js';
import { renderHtmlReport, writeHtmlReport } from '../../src/report/html/index.js';
import { requestRate } from '../../src/report/html/rate-chart.js';
import { exitMeaning } from '../../src/report/html/summary.js';
import { FAILURE_ROWS_SHOWN } from '../../src/report/html/tables.js';
import type { ResultRow } from '../../src/report/results.js';
import { AMPERSAND_EMAIL, planWith, resultRow, SCRIPT_NAME, STARTED_AT, sampleRun } from './sample-run.js';

describe('report.html', () => {
  it('counts the changes made in Omnize behind the tool (drift) in a summary tile', () => {
    const results = [
      resultRow('agent.update', 'acme', 'ana@acme.com', 'planned', { cause: 'drift' }),
      resultRow('agent.update', 'acme', 'bia@acme.com', 'planned', { cause: 'drift' }),
      resultRow('agent.update', 'acme', 'caio@acme.com', 'planned', { cause: 'manifest' }),
    ];
    const html = renderHtmlReport({ ...sampleRun(), results });
    expect(html).toContain('<div class="tile"><dt>Changed in Omnize</dt><dd>2</dd></div>');
  });

  it('is written as one UTF-8 file with a policy that forbids every load', () => {
    const folder = mkdtempSync(join(tmpdir(), 'omnize-html-'));
    writeHtmlReport(folder, sampleRun());
    const html = readFileSync(join(folder, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it('names nothing outside itself: no URL, no script, no external reference', () => {
    const html = renderHtmlReport(sampleRun());
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|<iframe|<img|@import|url\(/i);
    for (const [, value] of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(value).toMatch(/^data:/);
  });

  it('shows every value as text: a script tag in a name and & in an e-mail are escaped', () => {
    const html = renderHtmlReport(sampleRun());
    expect(html).not.toContain(SCRIPT_NAME);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(AMPERSAND_EMAIL);
    expect(html).toContain('joão&amp;maria@acme.com.br');
    expect(html).not.toMatch(/<script/i);
  });

  it('keeps Portuguese accents as they are', () => {
    const html = renderHtmlReport(sampleRun());
    expect(html).toContain('são-paulo');
    expect(html).toContain('conceição@sp.com.br');
  });

  it('has the summary, both charts, the failures with their rows, and the agents still active', () => {
    const html = renderHtmlReport(sampleRun());
    expect(html).toContain(
      '<strong>Exit 3</strong> — finished, but some actions failed or their outcome is unknown',
    );
    expect(html).toMatch(/<dt>Failed<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>API requests<\/dt><dd>90<small>40 reads, 50 writes<\/small><\/dd>/);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(2);
    expect(html).toMatch(/text-anchor="end">10<\/text>/);
    expect(html).toContain('roster.xlsx:agents:9');
    expect(html).toContain('E-mail has already been taken');
    expect(html).toMatch(
      /gil@acme\.com\.br<\/span> <code class="row">roster\.xlsx:agents:8<\/code>: Agent not found/,
    );
    expect(html).toMatch(/id="still-active"[\s\S]*old\.timer@acme\.com\.br/);
    expect(html).toMatch(/id="notices"[\s\S]*prune-kind-skipped/);
  });

  it('lists failed and unknown actions before skipped ones', () => {
    const html = renderHtmlReport(sampleRun());
    const failures = html.slice(html.indexOf('id="failures"'));
    expect(failures.indexOf('badge unknown')).toBeLessThan(failures.indexOf('badge skipped'));
    expect(failures.indexOf('badge failed')).toBeLessThan(failures.indexOf('badge unknown'));
  });

  it('caps the failures table on a large run and says where the rest are', () => {
    const results: ResultRow[] = Array.from({ length: 5200 }, (_, index) =>
      resultRow(
        'agent.create',
        `account-${index % 40}`,
        `agent${index}@acme.com.br`,
        index < 5000 ? 'failed' : 'ok',
        {
          error: 'E-mail has already been taken',
          source: { file: 'agents.csv', row: index + 2 },
        },
      ),
    );
    const html = renderHtmlReport(sampleRun({ results }));
    expect(html.match(/<span class="badge failed">/g)).toHaveLength(FAILURE_ROWS_SHOWN);
    expect(html).toContain('Showing the first 1,000 of 5,000 failures; the other 4,000 are in results.csv.');
    expect(html).toMatch(/<dt>Failed<\/dt><dd>5,000<\/dd>/);
  });

  it('draws a report of a run that did nothing, and odd rows, without throwing', () => {
    const empty = renderHtmlReport(
      sampleRun({
        results: [],
        requestsPerSecond: { since: 0, counts: [] },
        requests: { total: 0, reads: 0, writes: 0 },
        plan: planWith([]),
      }),
    );
    expect(empty).toContain('No actions: nothing to chart.');
    expect(empty).toContain('No API requests were made.');
    expect(empty).toContain('No action failed, was skipped or has an unknown outcome.');
    const odd = { action: 'agent.create', outcome: 'failed' } as unknown as ResultRow;
    const html = renderHtmlReport(
      sampleRun({ results: [odd], requestsPerSecond: { since: 0, counts: [Number.NaN, -1] } }),
    );
    expect(html).toContain('id="failures"');
    expect(html).not.toContain('could not draw');
  });

  it('masks a registered secret that an API error happens to echo', () => {
    const token = 'partner-token-5f2c9a7e';
    registerSecret(token);
    const results = [
      resultRow('agent.create', 'acme', 'ana@acme.com.br', 'failed', { error: `bad token ${token}` }),
    ];
    const html = renderHtmlReport(sampleRun({ results }));
    expect(html).not.toContain(token);
    expect(html).toContain('bad token [REDACTED]');
  });
});

describe('exit meanings', () => {
  it('says in words what the exit code means', () => {
    expect(exitMeaning(0, 'apply').words).toBe('success: every action applied');
    expect(exitMeaning(0, 'plan').words).toBe('success: plan made');
    expect(exitMeaning(4, 'plan').words).toContain('safety guard');
    expect(exitMeaning(143, 'apply').words).toContain('SIGTERM');
    expect(exitMeaning(77, 'apply').words).toContain('does not document');
  });
});

describe('formatDuration', () => {
  it('is short enough for a tile and exact enough to compare with logs', () => {
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(2_500_000)).toBe('41m 40s');
    expect(formatDuration(11_000_000)).toBe('3h 3m 20s');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('requestRate', () => {
  const start = STARTED_AT.getTime();

  it('counts requests per second from the start of the run', () => {
    const rate = requestRate(perSecond([start + 100, start + 200, start + 900, start + 1500, start + 3100]));
    expect(rate).toMatchObject({ seconds: 4, secondsPerBar: 1, bars: [3, 1, 0, 1], total: 5, peak: 3 });
    expect(rate.average).toBeCloseTo(5 / 3, 5);
  });

  it('averages several seconds per bar on a long run, keeping the one-second peak', () => {
    const times = Array.from({ length: 10_000 }, (_, index) => start + index * 100);
    times.push(start + 500, start + 510);
    const rate = requestRate(perSecond(times));
    expect(rate.seconds).toBe(1000);
    expect(rate.secondsPerBar).toBe(5);
    expect(rate.bars).toHaveLength(200);
    expect(rate.bars[1]).toBe(10);
    expect(rate.peak).toBe(12);
  });

  it('draws the rate in force of --rate auto as a line over the bars, and none for a fixed --rate', () => {
    const counts = [9, 12, 18, 24, 20, 22];
    const rateInForce = [10, 13, 19, 25, 21, 21];
    const rate = requestRate({ since: start, counts, rateInForce });
    expect(rate.rateInForce).toEqual(rateInForce);
    const run = sampleRun();
    const auto = renderHtmlReport({ ...run, requestsPerSecond: { since: start, counts, rateInForce } });
    expect(auto).toMatch(/<polyline class="rate-in-force" points="[^"]+"/);
    expect(auto).toContain('rate in force (--rate auto): from 10.0 to 25.0 requests/s');
    expect(auto).toContain('The orange line is the rate in force');
    const fixed = renderHtmlReport({ ...run, requestsPerSecond: { since: start, counts } });
    expect(fixed).not.toContain('rate-in-force');
  });

  it('averages the rate in force over a bar of several seconds, carrying it over seconds without a start', () => {
    const counts = Array.from({ length: 480 }, () => 1);
    const rateInForce = Array.from({ length: 480 }, (_, second) => (second < 240 ? 10 : 20));
    delete rateInForce[1];
    const rate = requestRate({ since: start, counts, rateInForce });
    expect(rate.secondsPerBar).toBe(2);
    expect(rate.rateInForce?.[0]).toBe(10);
    expect(rate.rateInForce?.at(-1)).toBe(20);
  });

  it('keeps at most 240 bars, and ignores counts that are not counts', () => {
    const counts = Array.from({ length: 10_000 }, () => 1);
    expect(requestRate({ since: start, counts }).bars.length).toBeLessThanOrEqual(240);
    expect(requestRate({ since: start, counts: [Number.NaN, Number.POSITIVE_INFINITY, -2] }).total).toBe(0);
  });
});

/** What the counters keep: requests started in each second from the run's start. */
function perSecond(times: readonly number[]): { since: number; counts: number[] } {
  const since = STARTED_AT.getTime();
  const counts: number[] = [];
  for (const time of times) {
    const second = Math.floor((time - since) / 1000);
    while (counts.length <= second) counts.push(0);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return { since, counts };
}
