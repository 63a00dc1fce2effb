import type { AppliedAccountValues } from '../model/remembered.js';
import type { StateBackend } from '../state/backend.js';

/** What a crashed run left, dealt with before planning. */
export interface RecoveryReport {
  /** Unsettled journal entries of earlier runs now resolved. */
  resolvedEntries: number;
  /** Account keys whose create was sent and never answered: now `unknown`, blocked until `state adopt`. */
  unknownAccounts: string[];
}

/** What recovery uses of the store. */
export type RecoveryStore = Pick<
  StateBackend,
  'unsettledJournal' | 'markJournalResolved' | 'getAccount' | 'markAccountCreateUnknown'
>;

const UNKNOWN_ACCOUNT_RESOLUTION =
  'account create never answered: recorded as unknown until `omnize-sync state adopt`';
const REPLANNED_RESOLUTION = 'left to the next plan, made from the live state';

/**
 * Deals with the journal entries earlier runs began and never settled (they
 * died mid-request). An account create whose account is still not recorded may
 * have been applied, and accounts cannot be looked up: it is marked `unknown`,
 * which blocks creating it again. Any other write can be judged from the live
 * state, which the next plan reads, so it is only marked resolved. Call it under
 * the run lock, before planning.
 */
export async function recoverInterruptedRuns(store: RecoveryStore, runId: string): Promise<RecoveryReport> {
  const entries = await store.unsettledJournal({ exceptRunId: runId });
  const unknownAccounts: string[] = [];
  const replanned: number[] = [];
  for (const entry of entries) {
    const key = entry.accountKey;
    if (entry.kind === 'account.create' && key !== null && (await store.getAccount(key)) === undefined) {
      await store.markAccountCreateUnknown(key, appliedOf(entry.request));
      await store.markJournalResolved([entry.id], UNKNOWN_ACCOUNT_RESOLUTION);
      unknownAccounts.push(key);
    } else {
      replanned.push(entry.id);
    }
  }
  if (replanned.length > 0) await store.markJournalResolved(replanned, REPLANNED_RESOLUTION);
  return { resolvedEntries: entries.length, unknownAccounts };
}

/** The account values a journalled create sent (`{params}`, as apply journals it), kept for `state show`. */
function appliedOf(request: unknown): AppliedAccountValues {
  const params = (request as { params?: Record<string, unknown> } | null)?.params ?? {};
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const applied: AppliedAccountValues = { status: 'active' };
  const fields = {
    email: text('email'),
    mainContact: text('mainContact'),
    phone: text('phone'),
    url: text('url'),
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) applied[name as 'email'] = value;
  }
  if (typeof params.licenseQuantity === 'number') applied.licenseQuantity = params.licenseQuantity;
  return applied;
}
