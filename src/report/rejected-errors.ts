import { redactString } from '../log/redact.js';
import { type RowError, rowKey } from '../manifest/index.js';
import type { SourceLocation } from '../model/source.js';
import type { ResultRow } from './results.js';

const REJECTED_OUTCOMES: ReadonlySet<string> = new Set(['failed', 'unknown', 'skipped']);

/**
 * Every error of each manifest row, in the order the actions ran, joined into one cell:
 * `agent.create: E-mail has already been taken; agent.set_profile: skipped (…)`. A
 * membership batch's errors go to the rows of the agents that did not land (the batch's own
 * row is fine: the rest landed); a member without a row falls back to the batch's row. An
 * error with no row to go to is left out: results.csv still lists it. Empty when every
 * action worked.
 */
export function rowErrors(results: readonly ResultRow[]): RowError[] {
  const byRow = new Map<string, { source: SourceLocation; messages: string[] }>();
  const add = (source: SourceLocation | undefined, message: string) => {
    if (source === undefined || typeof source.file !== 'string' || !Number.isFinite(source.row)) return;
    const key = rowKey(source);
    const entry = byRow.get(key) ?? { source, messages: [] };
    if (!entry.messages.includes(message)) entry.messages.push(message);
    byRow.set(key, entry);
  };
  for (const result of results) {
    if (!REJECTED_OUTCOMES.has(result?.outcome)) continue;
    const members = result.memberFailures ?? [];
    if (members.length === 0) {
      add(result.source, describe(result));
      continue;
    }
    for (const member of members) {
      const message = `${result.action} ${result.target}: ${redactString(member.error ?? '')}`;
      if (member.source !== undefined) add(member.source, message);
      else
        add(
          result.source,
          `${result.action} ${result.target}: ${member.label}: ${redactString(member.error ?? '')}`,
        );
    }
  }
  return [...byRow.values()].map(({ source, messages }) => ({ source, error: messages.join('; ') }));
}

function describe(result: ResultRow): string {
  const error = redactString(result.error ?? '');
  switch (result.outcome) {
    case 'skipped':
      return `${result.action}: skipped${error === '' ? '' : ` (${error})`}`;
    case 'unknown':
      return `${result.action}: outcome unknown${error === '' ? '' : ` (${error})`}`;
    default:
      return `${result.action}: ${error === '' ? 'failed' : error}`;
  }
}
