import { formatRow, type SourceLocation } from '../../model/source.js';
import type { Notice } from '../../plan/index.js';
import type { ResultOutcome, ResultRow } from '../results.js';
import { escapeForeign, escapeHtml, formatCount } from './escape.js';
import { OUTCOME_ORDER } from './outcome-chart.js';

/** A page of 5,000 failures helps nobody and slows the browser; the rest are in results.csv. */
export const FAILURE_ROWS_SHOWN = 1000;
/** Agents of one membership batch listed under its error. */
export const MEMBERS_SHOWN = 50;
/** Accounts and notices listed before "and N more". */
export const LIST_ROWS_SHOWN = 1000;

const NEEDS_A_LOOK: readonly ResultOutcome[] = ['failed', 'unknown', 'skipped'];

/** Actions and outcomes per account, accounts with failures first. */
export function accountsSection(results: readonly ResultRow[]): string {
  const accounts = new Map<string, Record<ResultOutcome, number>>();
  for (const row of results) {
    let counts = accounts.get(row.account);
    if (counts === undefined) {
      counts = { ok: 0, failed: 0, unknown: 0, skipped: 0, planned: 0 };
      accounts.set(row.account, counts);
    }
    if (row.outcome in counts) counts[row.outcome] += 1;
  }
  if (accounts.size === 0) return '';
  const trouble = (counts: Record<ResultOutcome, number>) => counts.failed + counts.unknown + counts.skipped;
  const sorted = [...accounts].sort(
    ([a, x], [b, y]) => trouble(y) - trouble(x) || String(a).localeCompare(String(b)),
  );
  const rows = sorted.slice(0, LIST_ROWS_SHOWN).map(([account, counts]) => {
    const total = OUTCOME_ORDER.reduce((sum, outcome) => sum + counts[outcome], 0);
    const cells = OUTCOME_ORDER.map(
      (outcome) =>
        `<td class="number${counts[outcome] > 0 && outcome !== 'ok' && outcome !== 'planned' ? ` ${outcome}` : ''}">${formatCount(counts[outcome])}</td>`,
    ).join('');
    return `<tr class="${trouble(counts) > 0 ? 'trouble' : ''}"><td>${escapeHtml(account || '—')}</td><td class="number">${formatCount(total)}</td>${cells}</tr>`;
  });
  const headings = OUTCOME_ORDER.map((outcome) => `<th class="number">${outcome}</th>`).join('');
  return [
    `<section id="accounts"><h2>Per account <span class="count">${formatCount(accounts.size)}</span></h2>`,
    '<p class="hint">Accounts with failed, unknown or skipped actions come first.</p>',
    `<table><thead><tr><th>account</th><th class="number">actions</th>${headings}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
    more(sorted.length, LIST_ROWS_SHOWN, 'accounts', 'results.csv'),
    '</section>',
  ].join('\n');
}

/** Failed and unknown actions, then skipped ones, with the manifest row and the error as the API gave it. */
export function failuresSection(results: readonly ResultRow[]): string {
  const failures = results
    .filter((row) => NEEDS_A_LOOK.includes(row.outcome))
    .sort((a, b) => NEEDS_A_LOOK.indexOf(a.outcome) - NEEDS_A_LOOK.indexOf(b.outcome));
  const heading = `<h2>Failures <span class="count">${formatCount(failures.length)}</span></h2>`;
  if (failures.length === 0) {
    return `<section id="failures">${heading}<p class="empty">No action failed, was skipped or has an unknown outcome.</p></section>`;
  }
  return [
    `<section id="failures">${heading}`,
    '<p class="hint">Fix the cells of the manifest rows below (rejected.xlsx holds them, ready to run again). Skipped actions waited on one that failed.</p>',
    '<table class="failures"><thead><tr><th>outcome</th><th>account</th><th>action</th><th>target</th><th>manifest row</th><th>error</th></tr></thead><tbody>',
    ...failures.slice(0, FAILURE_ROWS_SHOWN).map(failureRow),
    '</tbody></table>',
    more(failures.length, FAILURE_ROWS_SHOWN, 'failures', 'results.csv'),
    '</section>',
  ].join('\n');
}

function failureRow(row: ResultRow): string {
  const members = row.memberFailures ?? [];
  const listed = members
    .slice(0, MEMBERS_SHOWN)
    .map(
      (member) =>
        `<li><span class="target">${escapeHtml(member.label)}</span>${where(member.source, ' ')}: ${escapeForeign(member.error)}</li>`,
    );
  if (members.length > MEMBERS_SHOWN)
    listed.push(`<li>… and ${formatCount(members.length - MEMBERS_SHOWN)} more</li>`);
  const memberList = listed.length === 0 ? '' : `<ul class="members">${listed.join('')}</ul>`;
  return [
    `<tr class="${escapeHtml(row.outcome)}">`,
    `<td><span class="badge ${escapeHtml(row.outcome)}">${escapeHtml(row.outcome)}</span></td>`,
    `<td class="account">${escapeHtml(row.account)}</td>`,
    `<td><code>${escapeHtml(row.action)}</code></td>`,
    `<td class="target">${escapeHtml(row.target)}</td>`,
    `<td>${where(row.source, '')}</td>`,
    `<td class="error">${escapeForeign(row.error)}${memberList}</td>`,
    '</tr>',
  ].join('');
}

function where(source: SourceLocation | undefined, prefix: string): string {
  if (source === undefined || typeof source.file !== 'string') return '';
  return `${prefix}<code class="row">${escapeHtml(formatRow(source))}</code>`;
}

/** Agents the API cannot deactivate, then every other notice of the plan. */
export function noticesSection(notices: readonly Notice[]): string {
  const stillActive = notices.filter((notice) => notice.kind === 'agent-still-active');
  const others = notices.filter((notice) => notice.kind !== 'agent-still-active');
  const parts: string[] = [];
  if (stillActive.length > 0) {
    parts.push(
      `<section id="still-active"><h2>Agents still active <span class="count">${formatCount(stillActive.length)}</span></h2>`,
      '<p class="hint">These agents are not in the manifest but stay active: the Partner API cannot deactivate agents. Deactivate them in Omnize by hand if they should lose access.</p>',
      '<table><thead><tr><th>account</th><th>agent</th></tr></thead><tbody>',
      ...stillActive
        .slice(0, LIST_ROWS_SHOWN)
        .map(
          (notice) =>
            `<tr><td>${escapeHtml(notice.account ?? '')}</td><td class="target">${escapeHtml(notice.target ?? '')}</td></tr>`,
        ),
      '</tbody></table>',
      more(stillActive.length, LIST_ROWS_SHOWN, 'agents', 'summary.json'),
      '</section>',
    );
  }
  if (others.length > 0) {
    parts.push(
      `<section id="notices"><h2>Notices <span class="count">${formatCount(others.length)}</span></h2>`,
      '<table><thead><tr><th>notice</th><th>account</th><th>about</th><th>message</th></tr></thead><tbody>',
      ...others
        .slice(0, LIST_ROWS_SHOWN)
        .map(
          (notice) =>
            `<tr><td><code>${escapeHtml(notice.kind)}</code></td><td>${escapeHtml(notice.account ?? '')}</td><td class="target">${escapeHtml(notice.target ?? '')}${where(notice.source, ' ')}</td><td>${escapeForeign(notice.message)}</td></tr>`,
        ),
      '</tbody></table>',
      more(others.length, LIST_ROWS_SHOWN, 'notices', 'summary.json'),
      '</section>',
    );
  }
  return parts.join('\n');
}

function more(total: number, shown: number, what: string, file: string): string {
  return total > shown
    ? `<p class="more">Showing the first ${formatCount(shown)} of ${formatCount(total)} ${what}; the other ${formatCount(total - shown)} are in ${file}.</p>`
    : '';
}
