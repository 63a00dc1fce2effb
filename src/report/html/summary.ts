import { describeSelectors, type PlanScope } from '../../plan/index.js';
import type { RunReport } from '../write-report.js';
import { escapeForeign, escapeHtml, formatCount, formatDuration, formatTime } from './escape.js';

/** What each exit code of CONTRACT §10 means, in the words a person on call needs. */
const EXIT_MEANINGS: Record<number, { words: string; tone: 'good' | 'info' | 'bad' }> = {
  0: { words: 'success: every action applied', tone: 'good' },
  1: { words: 'the run could not go on (configuration, manifest or a fatal API error)', tone: 'bad' },
  2: { words: 'the plan has changes', tone: 'info' },
  3: { words: 'finished, but some actions failed or their outcome is unknown', tone: 'bad' },
  4: { words: 'stopped by the safety guard, or the saved plan is stale', tone: 'bad' },
  130: { words: 'interrupted (SIGINT) after a clean stop', tone: 'bad' },
  143: { words: 'terminated (SIGTERM) after a clean stop', tone: 'bad' },
};

export function exitMeaning(
  exitCode: number,
  command: RunReport['command'],
): { words: string; tone: string } {
  if (exitCode === 0 && command === 'plan') return { words: 'success: plan made', tone: 'good' };
  return EXIT_MEANINGS[exitCode] ?? { words: 'an exit code omnize-sync does not document', tone: 'bad' };
}

/** The page's first lines: which run, when, and how it ended. */
export function header(report: RunReport): string {
  const meaning = exitMeaning(report.exitCode, report.command);
  const stopped =
    report.stoppedBy === undefined
      ? ''
      : `<p class="stopped">Stopped early: ${escapeForeign(report.stoppedBy)}</p>`;
  return [
    '<header>',
    `<h1>omnize-sync ${escapeHtml(report.command)} <span class="when">${escapeHtml(formatTime(report.startedAt))}</span></h1>`,
    `<p class="exit ${meaning.tone}"><strong>Exit ${escapeHtml(report.exitCode)}</strong> — ${escapeHtml(meaning.words)}</p>`,
    stopped,
    '</header>',
  ].join('\n');
}

/** The numbers people look for first, as a row of tiles, and where the run's inputs came from. */
export function summarySection(report: RunReport): string {
  const outcomes = { ok: 0, failed: 0, unknown: 0, skipped: 0, planned: 0 };
  let drift = 0;
  for (const row of report.results) {
    if (row.outcome in outcomes) outcomes[row.outcome] += 1;
    if (row.cause === 'drift') drift += 1;
  }
  const durationMs = report.finishedAt.getTime() - report.startedAt.getTime();
  const tiles: [string, string, string?][] = [
    ['Actions', formatCount(report.results.length)],
    ['OK', formatCount(outcomes.ok), 'ok'],
    ['Failed', formatCount(outcomes.failed), outcomes.failed > 0 ? 'failed' : undefined],
    ['Unknown', formatCount(outcomes.unknown), outcomes.unknown > 0 ? 'unknown' : undefined],
    ['Skipped', formatCount(outcomes.skipped), outcomes.skipped > 0 ? 'skipped' : undefined],
    ['Planned', formatCount(outcomes.planned)],
    // Changes that put back what was changed in Omnize behind the tool's back (CONTRACT §14).
    ['Changed in Omnize', formatCount(drift)],
    [
      'API requests',
      `${formatCount(report.requests.total)}<small>${formatCount(report.requests.reads)} reads, ${formatCount(report.requests.writes)} writes</small>`,
    ],
    ['Retries', formatCount(report.retries)],
    ['Duration', escapeHtml(formatDuration(durationMs))],
  ];
  const list = tiles
    .map(
      ([label, value, tone]) =>
        `<div class="tile${tone === undefined ? '' : ` ${tone}`}"><dt>${label}</dt><dd>${value}</dd></div>`,
    )
    .join('');
  const manifest = (report.manifest ?? []).map((file) => `<code>${escapeHtml(file)}</code>`).join(', ');
  const guard = report.plan?.guard;
  const scope = report.plan?.scope ?? null;
  return [
    '<section id="summary"><h2>Summary</h2>',
    `<dl class="tiles">${list}</dl>`,
    '<p class="facts">',
    `Started ${escapeHtml(formatTime(report.startedAt))}, finished ${escapeHtml(formatTime(report.finishedAt))}.`,
    report.stoppedBy === undefined ? '' : ` Stopped by: <strong>${escapeForeign(report.stoppedBy)}</strong>.`,
    manifest === '' ? '' : ` Manifest: ${manifest}.`,
    scope === null ? ' Scope: the whole manifest.' : ` ${scopeFacts(scope)}`,
    guard === undefined
      ? ''
      : ` Safety guard: ${formatCount(guard.destructive)} destructive changes of ${formatCount(guard.limit)} allowed${guard.exceeded ? ' — <strong>exceeded</strong>' : ''}.`,
    '</p></section>',
  ].join('');
}

/** `Scope: acme, #42 (--account acme --account-id 42); other accounts were not read or planned.` */
function scopeFacts(scope: PlanScope): string {
  const accounts = scope.selected.map((label) => `<code>${escapeForeign(label)}</code>`).join(', ');
  const selectors = escapeForeign(describeSelectors(scope));
  return `Scope: <strong class="scope">${accounts}</strong> (${selectors}); other accounts were not read or planned.`;
}
