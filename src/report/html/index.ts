import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../write-report.js';
import { escapeHtml, formatTime } from './escape.js';
import { outcomeChart } from './outcome-chart.js';
import { rateCaption, rateChart, requestRate } from './rate-chart.js';
import { STYLE } from './style.js';
import { header, summarySection } from './summary.js';
import { accountsSection, failuresSection, noticesSection } from './tables.js';

export const HTML_REPORT_FILE = 'report.html';

/**
 * The browser itself refuses every load the page might attempt: no script, no
 * image other than `data:`, no font, no frame, no request of any kind (CONTRACT §7:
 * one self-contained page, no network).
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * report.html as text: the run's summary, two inline-SVG charts (actions by kind and
 * outcome; requests per second), the per-account breakdown, the failures and the
 * agents the API could not deactivate. Every value shown is HTML-escaped.
 */
export function renderHtmlReport(report: RunReport): string {
  const title = `omnize-sync ${report.command} — ${formatTime(report.startedAt)}`;
  const rate = requestRate(report.requestsPerSecond ?? { since: report.startedAt.getTime(), counts: [] });
  const results = report.results ?? [];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    // Without an icon of its own, a browser asks the server for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    drawn('the heading', () => header(report)),
    drawn('the summary', () => summarySection(report)),
    '<section id="actions-chart"><h2>Actions by kind and outcome</h2>',
    drawn('this chart', () => outcomeChart(results)),
    '</section>',
    '<section id="rate-chart"><h2>Requests per second</h2>',
    drawn('this chart', () => `${rateChart(rate)}<p class="caption">${escapeHtml(rateCaption(rate))}</p>`),
    '</section>',
    drawn('the failures', () => failuresSection(results)),
    drawn('the notices', () => noticesSection(report.plan?.notices ?? [])),
    drawn('the accounts', () => accountsSection(results)),
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * One part of the page, or a line saying it could not be drawn: a report is written
 * at the end of a run, often a failed one, and one odd value must not cost the rest.
 */
function drawn(what: string, render: () => string): string {
  try {
    return render();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `<p class="empty">omnize-sync could not draw ${escapeHtml(what)} (${escapeHtml(reason)}); results.csv and summary.json have the same facts.</p>`;
  }
}

/** Writes report.html into the run's folder. */
export function writeHtmlReport(folder: string, report: RunReport): void {
  writeFileSync(join(folder, HTML_REPORT_FILE), renderHtmlReport(report));
}
