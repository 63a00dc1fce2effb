import { redactString } from '../log/redact.js';
import { describeGuard, type Plan } from '../plan/index.js';
import type { RunEnding, RunRecord } from './record.js';

/** The safety guard's stop (CONTRACT §5, exit 4), with the numbers a person can act on. */
export function guardEnding(plan: Plan): RunEnding {
  return {
    kind: 'guard',
    message: `${describeGuard(plan.guard)}. Check the manifest, or raise --max-deactivations if this is intended.`,
  };
}

/** The last line on stderr for a run that did not end as planned, or undefined when it did. */
export function endingMessage(record: RunRecord): string | undefined {
  const { ending } = record;
  switch (ending.kind) {
    case 'guard':
    case 'stale-plan':
      return `omnize-sync: stopped: ${redactString(ending.message)}`;
    case 'declined':
      return 'Nothing was applied.';
    case 'interrupted':
    case 'planned':
      return undefined;
    case 'applied': {
      const fatal = record.applied?.fatalError;
      return fatal === undefined ? undefined : `omnize-sync: ${redactString(fatal.message)}`;
    }
  }
}
