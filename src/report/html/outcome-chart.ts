import { ACTION_KINDS } from '../../plan/index.js';
import type { ResultOutcome, ResultRow } from '../results.js';
import { escapeHtml, formatCount } from './escape.js';

/** The outcomes in the order people read them: what worked, then what needs a look. */
export const OUTCOME_ORDER: readonly ResultOutcome[] = ['ok', 'failed', 'unknown', 'skipped', 'planned'];

/**
 * The Okabe–Ito palette, told apart by people with the common colour-vision
 * deficiencies; every bar also carries its number, so colour is never the only cue.
 * `text` names the style class of a number written on the colour (white or black).
 */
export const OUTCOME_COLORS: Record<ResultOutcome, { fill: string; text: 'on-dark' | 'on-light' }> = {
  ok: { fill: '#009E73', text: 'on-dark' },
  failed: { fill: '#D55E00', text: 'on-dark' },
  unknown: { fill: '#E69F00', text: 'on-light' },
  skipped: { fill: '#9a9a9a', text: 'on-light' },
  planned: { fill: '#0072B2', text: 'on-dark' },
};

/** Counts per action kind and outcome, kinds in the order of CONTRACT §5. */
export function countByKindAndOutcome(
  results: readonly ResultRow[],
): Map<string, Record<ResultOutcome, number>> {
  const counts = new Map<string, Record<ResultOutcome, number>>();
  for (const row of results) {
    let cell = counts.get(row.action);
    if (cell === undefined) {
      cell = { ok: 0, failed: 0, unknown: 0, skipped: 0, planned: 0 };
      counts.set(row.action, cell);
    }
    if (row.outcome in cell) cell[row.outcome] += 1;
  }
  const rank = (kind: string) => {
    const index = (ACTION_KINDS as readonly string[]).indexOf(kind);
    return index === -1 ? ACTION_KINDS.length : index;
  };
  return new Map([...counts].sort(([a], [b]) => rank(a) - rank(b) || String(a).localeCompare(String(b))));
}

const LAYOUT = {
  width: 860,
  labelWidth: 200,
  totalWidth: 70,
  rowHeight: 26,
  barHeight: 18,
  legendHeight: 34,
};
/** Roughly the width of one digit at the chart's 12px font, to tell whether a count fits inside its bar. */
const DIGIT_WIDTH = 7.5;

/** A stacked horizontal bar per action kind, one segment per outcome, with a legend and the numbers written on. */
export function outcomeChart(results: readonly ResultRow[]): string {
  const counts = countByKindAndOutcome(results);
  if (counts.size === 0) return '<p class="empty">No actions: nothing to chart.</p>';
  const present = OUTCOME_ORDER.filter((outcome) => [...counts.values()].some((cell) => cell[outcome] > 0));
  const largest = Math.max(...[...counts.values()].map(totalOf));
  const barArea = LAYOUT.width - LAYOUT.labelWidth - LAYOUT.totalWidth;
  const height = LAYOUT.legendHeight + counts.size * LAYOUT.rowHeight + 4;
  const rows = [...counts].map(([kind, cell], index) => {
    const y = LAYOUT.legendHeight + index * LAYOUT.rowHeight;
    return barRow(kind, cell, present, y, barArea / largest);
  });
  const label = `Actions by kind and outcome: ${[...counts]
    .map(([kind, cell]) => `${kind} ${totalOf(cell)}`)
    .join(', ')}`;
  return [
    `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${LAYOUT.width} ${height}">`,
    legend(present, results),
    ...rows,
    '</svg>',
  ].join('\n');
}

function totalOf(cell: Record<ResultOutcome, number>): number {
  return OUTCOME_ORDER.reduce((sum, outcome) => sum + cell[outcome], 0);
}

function legend(present: readonly ResultOutcome[], results: readonly ResultRow[]): string {
  const totals = new Map<ResultOutcome, number>();
  for (const row of results) totals.set(row.outcome, (totals.get(row.outcome) ?? 0) + 1);
  let x = LAYOUT.labelWidth;
  return present
    .map((outcome) => {
      const text = `${outcome} ${formatCount(totals.get(outcome) ?? 0)}`;
      const item = `<g class="legend-item"><rect x="${x}" y="6" width="14" height="14" rx="2" fill="${OUTCOME_COLORS[outcome].fill}"/><text x="${x + 20}" y="18">${escapeHtml(text)}</text></g>`;
      x += 34 + text.length * DIGIT_WIDTH;
      return item;
    })
    .join('');
}

function barRow(
  kind: string,
  cell: Record<ResultOutcome, number>,
  present: readonly ResultOutcome[],
  y: number,
  scale: number,
): string {
  const parts = [
    `<text class="kind" x="${LAYOUT.labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(kind)}</text>`,
  ];
  let x = LAYOUT.labelWidth;
  for (const outcome of present) {
    const count = cell[outcome];
    if (count === 0) continue;
    const width = Math.max(count * scale, 2);
    const colors = OUTCOME_COLORS[outcome];
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y + 1}" width="${width.toFixed(1)}" height="${LAYOUT.barHeight}" fill="${colors.fill}"><title>${escapeHtml(`${kind}: ${count} ${outcome}`)}</title></rect>`,
    );
    const digits = formatCount(count);
    if (width >= digits.length * DIGIT_WIDTH + 8) {
      parts.push(
        `<text x="${(x + width / 2).toFixed(1)}" y="${y + 14}" text-anchor="middle" class="${colors.text}">${digits}</text>`,
      );
    }
    x += width;
  }
  parts.push(
    `<text class="total" x="${(x + 6).toFixed(1)}" y="${y + 14}">${formatCount(totalOf(cell))}</text>`,
  );
  return `<g class="bar">${parts.join('')}</g>`;
}
