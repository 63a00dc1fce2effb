import type { JournalGroup, LaggingRecord } from '../../state/backend.js';
import type { JournalBeginInput, JournalSettlement } from '../../state/journal.js';
import type { Recorder } from '../recorder.js';

/**
 * How long a settlement may wait for company before it is written on its own. A settlement may
 * lag: a run killed before it lands leaves the entry open, and the next run judges an open entry
 * from the live state (recovery.ts), as it would one whose request was in flight.
 */
export const SETTLEMENT_LAG_MS = 20;

interface PendingBegin {
  input: JournalBeginInput;
  resolve(entry: number | undefined): void;
}

/**
 * Group commit for the write journal. One SQLite commit per entry and per settlement held the
 * event loop between sends (a 10k-agent apply spent more time committing than sending), so
 * entries, settlements and lagging records are written in groups, one transaction each, and an
 * entry is still durable before its request leaves.
 *
 * An entry begun `now` (its request holds a slot and waits for it) is written with all that
 * reaches the batch in the same turn of the event loop. An entry begun `ahead` belongs to a request
 * still waiting in the gate: it may wait up to SETTLEMENT_LAG_MS for company, like a settlement, so
 * that a run whose requests end one at a time writes one group per SETTLEMENT_LAG_MS rather than
 * one per request (bench:newman: 812 commits for 1,000 creates); `hurry` writes it at once when
 * its request is admitted first. Settlements wait up to SETTLEMENT_LAG_MS too, and so may records
 * of what a request applied that only the next plan reads (`later`).
 *
 * The store's transaction is asynchronous (PostgreSQL): one group is written at a time, and what
 * reaches the batch while it commits waits for the next group, written as soon as it resolved.
 */
export class JournalBatch {
  private begins: PendingBegin[] = [];
  private settlements: { entry: number; settlement: JournalSettlement }[] = [];
  private records: LaggingRecord[] = [];
  /** The group being written, and those flushes queued behind it; never rejects. */
  private tail: Promise<void> = Promise.resolve();
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly recorder: Recorder) {}

  /**
   * Resolves with the entry's ID once it is committed; undefined when the store refused (the run
   * stops). `now`: written in this turn of the event loop's group; `ahead`: may wait for company.
   */
  begin(input: JournalBeginInput, when: 'now' | 'ahead' = 'now'): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.begins.push({ input, resolve });
      if (when === 'now') this.hurry();
      else this.timer ??= setTimeout(() => void this.flush(), SETTLEMENT_LAG_MS);
    });
  }

  /** Writes what waits in this turn of the event loop's group: a request is held until its entry is written. */
  hurry(): void {
    this.immediate ??= setImmediate(() => void this.flush());
  }

  /**
   * `now`: written at once, with whatever waits. An account create's settlement must not lag: its
   * entry left open would make the next run call a create that failed `unknown` (recovery.ts).
   */
  settle(entry: number, settlement: JournalSettlement, now = false): void {
    this.settlements.push({ entry, settlement });
    if (now) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), SETTLEMENT_LAG_MS);
  }

  /**
   * A state store write that may lag like a settlement: what a request applied that only the next
   * plan reads, and can read again from the live state if it is lost (an agent's text limit and
   * password fingerprint). Written with the next group, in its transaction, before the settlements.
   */
  later(record: LaggingRecord): void {
    this.records.push(record);
    this.timer ??= setTimeout(() => void this.flush(), SETTLEMENT_LAG_MS);
  }

  /**
   * Writes everything waiting, in one transaction, after the group being written; resolves once
   * it is. The end of a run awaits it so nothing is left behind.
   */
  flush(): Promise<void> {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
    this.tail = this.tail.then(() => this.writeWaiting());
    return this.tail;
  }

  private async writeWaiting(): Promise<void> {
    const { begins, settlements, records } = this;
    if (begins.length === 0 && settlements.length === 0 && records.length === 0) return;
    this.begins = [];
    this.settlements = [];
    this.records = [];
    const group: JournalGroup = {
      records,
      settlements: settlements.map(({ entry, settlement }) => ({ entryId: entry, settlement })),
      begins: begins.map(({ input }) => input),
      // An account create cannot be looked up afterwards: its entry must outlive a power cut.
      durable: begins.some(({ input }) => input.kind === 'account.create'),
    };
    const entries = await this.recorder.write(
      failureOf(begins, settlements.length + records.length),
      (store) => store.journalGroup(group),
    );
    for (const [index, { resolve }] of begins.entries()) resolve(entries?.[index]);
  }
}

function failureOf(begins: readonly PendingBegin[], writes: number): string {
  const first = begins[0]?.input.actionId;
  if (first !== undefined) return `the journal could not record ${first}`;
  return `the journal could not write ${writes} settlements and records`;
}
