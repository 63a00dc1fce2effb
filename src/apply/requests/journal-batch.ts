import type { JournalBeginInput, JournalSettlement } from '../../state/journal.js';
import type { Recorder } from '../recorder.js';
import type { ApplyStateStore } from '../types.js';

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
 * event loop between sends (a 10k-agent apply spent more time committing than sending), so the
 * entries of all requests that reach the gate in one turn of the event loop are written in one
 * transaction, with every settlement waiting, and only then released: an entry is still durable
 * before its request leaves. Settlements alone wait up to SETTLEMENT_LAG_MS for the next group,
 * and so may records of what a request applied that only the next plan reads (`later`).
 */
export class JournalBatch {
  private begins: PendingBegin[] = [];
  private settlements: { entry: number; settlement: JournalSettlement }[] = [];
  private records: ((store: ApplyStateStore) => void)[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly recorder: Recorder) {}

  /** Resolves with the entry's ID once it is committed; undefined when the store refused (the run stops). */
  begin(input: JournalBeginInput): Promise<number | undefined> {
    return new Promise((resolve) => {
      this.begins.push({ input, resolve });
      this.immediate ??= setImmediate(() => this.flush());
    });
  }

  /**
   * `now`: written at once, with whatever waits. An account create's settlement must not lag: its
   * entry left open would make the next run call a create that failed `unknown` (recovery.ts).
   */
  settle(entry: number, settlement: JournalSettlement, now = false): void {
    this.settlements.push({ entry, settlement });
    if (now) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), SETTLEMENT_LAG_MS);
  }

  /**
   * A state store write that may lag like a settlement: what a request applied that only the next
   * plan reads, and can read again from the live state if it is lost (an agent's text limit and
   * password fingerprint). Written with the next group, in its transaction, before the settlements.
   */
  later(record: (store: ApplyStateStore) => void): void {
    this.records.push(record);
    this.timer ??= setTimeout(() => this.flush(), SETTLEMENT_LAG_MS);
  }

  /** Writes everything waiting now, in one transaction; the end of a run calls it so nothing is left behind. */
  flush(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
    const { begins, settlements, records } = this;
    if (begins.length === 0 && settlements.length === 0 && records.length === 0) return;
    this.begins = [];
    this.settlements = [];
    this.records = [];
    // An account create cannot be looked up afterwards: its entry must outlive a power cut.
    const durable = begins.some(({ input }) => input.kind === 'account.create');
    const entries = this.recorder.write(failureOf(begins, settlements.length + records.length), (store) =>
      store.journalGroup(() => {
        for (const record of records) record(store);
        for (const { entry, settlement } of settlements) store.journalSettle(entry, settlement);
        return begins.map(({ input }) => store.journalBegin(input));
      }, durable),
    );
    for (const [index, { resolve }] of begins.entries()) resolve(entries?.[index]);
  }
}

function failureOf(begins: readonly PendingBegin[], writes: number): string {
  const first = begins[0]?.input.actionId;
  if (first !== undefined) return `the journal could not record ${first}`;
  return `the journal could not write ${writes} settlements and records`;
}
