import { describe, expect, it } from 'vitest';
import type { PlanScope } from '../../src/plan/index.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { summaryOf } from '../../src/report/write-report.js';
import { planWith, sampleRun } from './sample-run.js';

const SCOPE: PlanScope = { accounts: ['acme'], accountIds: [4242], selected: ['acme', '#4242'] };

function scopedRun() {
  return sampleRun({ plan: { ...planWith([]), scope: SCOPE } });
}

describe('reports of a scoped run (CONTRACT §12)', () => {
  it('summary.json names the scope, and null for the whole manifest', () => {
    expect(summaryOf(scopedRun()).scope).toEqual(SCOPE);
    expect(summaryOf(sampleRun({ plan: { ...planWith([]), scope: null } })).scope).toBeNull();
    // A plan saved before scoped runs has no scope field: the whole manifest.
    expect(summaryOf(sampleRun({ plan: planWith([]) })).scope).toBeNull();
  });

  it('report.html names the accounts and the flags that chose them', () => {
    const html = renderHtmlReport(scopedRun());
    expect(html).toContain(
      'Scope: <strong class="scope"><code>acme</code>, <code>#4242</code></strong> (--account acme --account-id 4242); other accounts were not read or planned.',
    );
    expect(renderHtmlReport(sampleRun())).toContain('Scope: the whole manifest.');
  });
});
