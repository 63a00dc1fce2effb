import { InternalError } from '../../errors.js';
import type { OmnizeId } from '../../model/vocabulary.js';
import type { PlannedAction } from '../../plan/action.js';
import type { LaggingRecord } from '../../state/backend.js';
import type { JournalSettlement } from '../../state/journal.js';
import { describeError, mayHaveApplied, RunStopped } from '../failures.js';
import type { Recorder } from '../recorder.js';
import { JournalBatch } from './journal-batch.js';
import type { Layer } from './pipeline.js';

/**
 * The write journal of a run (CONTRACT §6): every write request - each try, chunk and bisection
 * probe - gets an entry, made durable before the request leaves and settled with that request's
 * own outcome. A run killed mid-request leaves the entry of each request it had in flight open,
 * and the next run finds them (see recovery.ts). What a try applied that the next plan cannot
 * read back (a new account's ID, an account create's unknown outcome) is recorded inside the
 * try, before its entry is settled. Reads pass through. Entries and settlements are written in
 * groups (journal-batch.ts); `flush` writes what waits, at the end of a run.
 */
export class WriteJournal {
  /** The entries of requests in flight, by action ID: what the drain deadline settles. */
  private readonly open = new Map<string, Set<number>>();
  private readonly batch: JournalBatch | undefined;

  /** `recorder` is undefined for a run that may not write (plan, login-links): a write then is a bug. */
  constructor(
    private readonly recorder: Recorder | undefined,
    private readonly runId: string,
  ) {
    this.batch = recorder === undefined ? undefined : new JournalBatch(recorder);
  }

  readonly layer: Layer = async (request, next) => {
    if (request.kind !== 'write') return next(request);
    const { owner } = request;
    if (owner === undefined || this.recorder === undefined) {
      throw new InternalError('a write was sent with no journal to record it');
    }
    const { action } = owner;
    // Written while the request waits in the gate, with the company of others. Not an account
    // create's: an entry left open by a crash makes that create `unknown` (recovery.ts), which
    // must mean it may have been sent, never only that it was waiting.
    const ahead = action.kind === 'account.create' ? undefined : this.begin(action, 'ahead');
    let written = false;
    void ahead?.then(() => {
      written = true;
    });
    let entry: number | undefined;
    const begin = async () => {
      if (ahead !== undefined && !written) this.batch?.hurry();
      entry = await (ahead ?? this.begin(action, 'now'));
    };
    try {
      const value = await next({ ...request, beforeStart: begin });
      this.settle(action, entry, { outcome: 'ok', remoteId: createdId(value) });
      return value;
    } catch (error) {
      // Refused by the gate before it started: its entry, written ahead, is settled as not sent.
      if (entry === undefined && ahead !== undefined) {
        if (!written) this.batch?.hurry();
        entry = await ahead;
      }
      this.settle(action, entry, settlementOf(error));
      throw error;
    }
  };

  /** Settles the entries of an action's requests still in flight (the drain deadline passed). */
  settleOpen(action: PlannedAction, settlement: JournalSettlement): void {
    for (const entry of this.open.get(action.id) ?? []) this.settle(action, entry, settlement);
    void this.flush();
  }

  /** A record that may wait for the next group (see `JournalBatch.later`); a run that may not write has none. */
  recordLater(record: LaggingRecord): void {
    this.batch?.later(record);
  }

  /** Writes the settlements (and entries) still waiting for their group; resolves once written. */
  async flush(): Promise<void> {
    await this.batch?.flush();
  }

  /** A store that refuses stops the run, which closes the gate: nothing is sent unjournalled. */
  private async begin(action: PlannedAction, when: 'now' | 'ahead'): Promise<number | undefined> {
    const entry = await this.batch?.begin(
      {
        runId: this.runId,
        actionId: action.id,
        kind: action.kind,
        accountKey: action.account,
        target: action.target,
        // Params hold no secret: passwords appear only as where to take them from.
        request: { params: action.params },
      },
      when,
    );
    if (entry === undefined) return undefined;
    const open = this.open.get(action.id);
    if (open === undefined) this.open.set(action.id, new Set([entry]));
    else open.add(entry);
    return entry;
  }

  /** The first settlement wins in the store, so a late answer after the drain deadline does no harm. */
  private settle(action: PlannedAction, entry: number | undefined, settlement: JournalSettlement): void {
    if (entry === undefined) return;
    const open = this.open.get(action.id);
    open?.delete(entry);
    if (open?.size === 0) this.open.delete(action.id);
    this.batch?.settle(entry, settlement, action.kind === 'account.create');
  }
}

/** A refused request never left; one whose answer was lost may have been applied. */
function settlementOf(error: unknown): JournalSettlement {
  if (error instanceof RunStopped) return { outcome: 'failed', error: `not sent: ${error.message}` };
  return { outcome: mayHaveApplied(error) ? 'unknown' : 'failed', error: describeError(error).message };
}

/** The ID a create's answer gives (accounts, agents, departments); other writes answer nothing. */
function createdId(value: unknown): OmnizeId | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? id : undefined;
}
