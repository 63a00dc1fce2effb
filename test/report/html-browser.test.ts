import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/report/html/index.js';
import { runsHere } from '../real-tools.js';
import { CHROMIUM, type PageVisit, visitPage } from './chromium.js';
import { AMPERSAND_EMAIL, SCRIPT_NAME, sampleRun } from './sample-run.js';

/**
 * report.html in a real browser (Debian's headless Chromium). In CI a missing
 * browser fails these tests (`.ci/run` installs it); on a developer's machine
 * without it they are left out.
 */
const EXTERNAL = 'http://assets.example.invalid/logo.png';
const BROWSER_TIMEOUT_MS = 60_000;

describe.runIf(runsHere(CHROMIUM))('report.html in headless Chromium', () => {
  let folder: string;
  let page: string;
  let visit: PageVisit;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'omnize-html-browser-'));
    writeHtmlReport(folder, sampleRun());
    page = join(folder, 'report.html');
    visit = await visitPage(pathToFileURL(page).href, {
      charts: `[...document.querySelectorAll('svg.chart')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: Math.round(box.width), height: Math.round(box.height), bars: svg.querySelectorAll('rect').length };
      })`,
      failureRows: `document.querySelectorAll('#failures tbody tr').length`,
      heading: `getComputedStyle(document.querySelector('h1')).fontSize`,
      scripts: `document.scripts.length`,
    });
    writeFileSync(join(folder, 'report.png'), visit.screenshot);
  }, BROWSER_TIMEOUT_MS);

  it('has a browser to run in', () => {
    expect(CHROMIUM, 'chromium is not installed: .ci/run installs it with apt-get').toBeDefined();
  });

  it('shows the run, its exit code in words and the summary numbers', () => {
    expect(visit.text).toContain('omnize-sync apply 2026-11-29 02:15:00 UTC');
    expect(visit.text).toContain('Exit 3 — finished, but some actions failed or their outcome is unknown');
    expect(visit.text).toMatch(/Actions\s+17\s+OK\s+12\s+Failed\s+3\s+Unknown\s+1\s+Skipped\s+1/);
    expect(visit.text).toMatch(/API requests\s+90\s+40 reads, 50 writes\s+Retries\s+2\s+Duration\s+12\.4 s/);
  });

  it('draws both charts with their legend and labels, at a readable size, styled', () => {
    const charts = visit.values.charts as { width: number; height: number; bars: number }[];
    expect(charts).toHaveLength(2);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(800);
      expect(chart.height).toBeGreaterThan(150);
      expect(chart.bars).toBeGreaterThan(5);
    }
    expect(visit.text).toMatch(/Actions by kind and outcome\s+ok 12\s+failed 3\s+unknown 1\s+skipped 1/);
    expect(visit.text).toMatch(/agent\.create\s+7\s+1\s+1\s+9/);
    expect(visit.text).toContain('90 requests; at most 10 started in one second');
    expect(visit.values.heading).toBe('26px');
    expect(visit.screenshot.subarray(1, 4).toString()).toBe('PNG');
  });

  it('lists the failures with manifest rows, the errors verbatim, and the agents still active', () => {
    expect(visit.values.failureRows).toBe(5);
    expect(visit.text).toContain(SCRIPT_NAME);
    expect(visit.text).toContain(AMPERSAND_EMAIL);
    expect(visit.text).toMatch(
      /agent\.create\s+joão&maria@acme\.com\.br\s+roster\.xlsx:agents:9\s+E-mail has already been taken/,
    );
    expect(visit.text).toMatch(/gil@acme\.com\.br roster\.xlsx:agents:8: Agent not found/);
    expect(visit.text).toMatch(/Agents still active 1[\s\S]*old\.timer@acme\.com\.br/);
    expect(visit.text).toMatch(/Per account 3[\s\S]*são-paulo\s+3\s+1\s+1\s+1/);
    expect(visit.values.scripts).toBe(0);
  });

  it('makes no request but for the page itself', () => {
    expect(visit.requests).toEqual([{ url: pathToFileURL(page).href }]);
  });

  it(
    'would notice an external asset, and the page policy blocks one',
    async () => {
      const html = readFileSync(page, 'utf8');
      const withAsset = html.replace('<main>', `<main><img src="${EXTERNAL}" alt="">`);
      const withoutPolicy = withAsset.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      writeFileSync(join(folder, 'asset.html'), withAsset);
      writeFileSync(join(folder, 'asset-no-policy.html'), withoutPolicy);

      const unguarded = await visitPage(pathToFileURL(join(folder, 'asset-no-policy.html')).href);
      expect(unguarded.requests.map((request) => request.url)).toContain(EXTERNAL);
      expect(unguarded.proxied).toContain('assets.example.invalid');

      const guarded = await visitPage(pathToFileURL(join(folder, 'asset.html')).href);
      expect(guarded.requests.filter((request) => request.url === EXTERNAL)).toEqual([
        { url: EXTERNAL, blockedBy: 'csp' },
      ]);
      expect(guarded.proxied).not.toContain('assets.example.invalid');
    },
    BROWSER_TIMEOUT_MS,
  );
});
