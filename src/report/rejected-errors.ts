import { redactString } from '../log/redact.js';
import type { SourceLocation } from '../model/source.js';
import type { ResultRow } from './results.js';

/** Identifies a manifest row across the manifest's tables and the results' sources. */
export function rowKey(source: SourceLocation): string {
  return `${source.file}\u0000${source.sheet ?? ''}\u0000${source.row}`;
}

/**
 * Every error of each manifest row, in the order the actions ran:
 * `agent.create: E-mail has already been taken`. A membership batch's errors go to
 * the rows of the agents that did not land (the batch's own row is fine: the rest
 * landed); a member without a row falls back to the batch's row.
 */
export function errorsByRow(results: readonly ResultRow[]): {
  byRow: Map<string, string[]>;
  unplaced: number;
} {
  const byRow = new Map<string, string[]>();
  let unplaced = 0;
  const add = (source: SourceLocation | undefined, message: string) => {
    if (source === undefined || typeof source.file !== 'string' || !Number.isFinite(source.row)) {
      unplaced += 1;
      return;
    }
    const key = rowKey(source);
    const messages = byRow.get(key) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byRow.set(key, messages);
  };
  for (const result of results) {
    if (result?.outcome !== 'failed' && result?.outcome !== 'unknown' && result?.outcome !== 'skipped')
      continue;
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
  return { byRow, unplaced };
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
