import type { ActionOutcome } from './types.js';

const STATUSES = ['ok', 'failed', 'skipped', 'unknown'] as const;
/** 0 in `status`: the action has no outcome yet. */
const NONE = 0;

/**
 * The outcomes of a run's actions, by plan position, as a read-only map from action ID. A
 * migration has 100k actions, nearly all a plain `ok` (with a new ID for creates): those are kept
 * as numbers in typed arrays (about 21 bytes an action, against ~310 for an object in a Map,
 * measured in a heap snapshot of a 100k-agent apply), and built again as objects when read. Any
 * other outcome (a failure, a skip, an `ok` with skipped members) is kept as it came.
 */
export class OutcomeTable implements ReadonlyMap<string, ActionOutcome> {
  private readonly status: Uint8Array;
  private readonly remoteIds: Float64Array;
  private readonly attempts: Uint32Array;
  private readonly durations: Float64Array;
  private readonly others = new Map<number, ActionOutcome>();
  private count = 0;

  /** `ids` in plan order; `positions` maps each back to its place. */
  constructor(
    private readonly ids: readonly string[],
    private readonly positions: ReadonlyMap<string, number>,
  ) {
    const length = ids.length;
    this.status = new Uint8Array(length);
    this.remoteIds = new Float64Array(length).fill(Number.NaN);
    this.attempts = new Uint32Array(length);
    this.durations = new Float64Array(length);
  }

  /** Records the outcome of the action at `position`; it must have none yet. */
  set(position: number, outcome: ActionOutcome): void {
    if (this.status[position] === NONE) this.count += 1;
    this.status[position] = STATUSES.indexOf(outcome.status) + 1;
    this.attempts[position] = outcome.attempts;
    this.durations[position] = outcome.durationMs;
    if (isPlainOk(outcome)) {
      this.remoteIds[position] = outcome.remoteId ?? Number.NaN;
      this.others.delete(position);
    } else {
      this.others.set(position, outcome);
    }
  }

  hasAt(position: number): boolean {
    return this.status[position] !== NONE;
  }

  at(position: number): ActionOutcome | undefined {
    const status = this.status[position];
    if (status === undefined || status === NONE) return undefined;
    const other = this.others.get(position);
    if (other !== undefined) return other;
    const remoteId = this.remoteIds[position]!;
    const counts = { attempts: this.attempts[position]!, durationMs: this.durations[position]! };
    return Number.isNaN(remoteId) ? { status: 'ok', ...counts } : { status: 'ok', remoteId, ...counts };
  }

  /** Adds each recorded outcome to its status's count. */
  addStatusCounts(counts: StatusCounts): void {
    for (const status of this.status) if (status !== NONE) counts[STATUSES[status - 1]!] += 1;
  }

  get size(): number {
    return this.count;
  }

  get(id: string): ActionOutcome | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.at(position);
  }

  has(id: string): boolean {
    const position = this.positions.get(id);
    return position !== undefined && this.hasAt(position);
  }

  *entries(): MapIterator<[string, ActionOutcome]> {
    for (let position = 0; position < this.ids.length; position += 1) {
      const outcome = this.at(position);
      if (outcome !== undefined) yield [this.ids[position]!, outcome];
    }
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<ActionOutcome> {
    for (const [, outcome] of this.entries()) yield outcome;
  }

  [Symbol.iterator](): MapIterator<[string, ActionOutcome]> {
    return this.entries();
  }

  forEach(
    callback: (value: ActionOutcome, key: string, map: ReadonlyMap<string, ActionOutcome>) => void,
  ): void {
    for (const [id, outcome] of this.entries()) callback(outcome, id, this);
  }
}

/** How many actions ended in each status. */
export type StatusCounts = Record<ActionOutcome['status'], number>;

/**
 * The outcomes counted by status: from the table's status array when they are kept in one (a
 * run's end counts them for its summary line and again for its exit code, and building 100,000
 * outcome objects to read one field each is what counting through the map costs).
 */
export function countStatuses(outcomes: ReadonlyMap<string, ActionOutcome>): StatusCounts {
  const counts: StatusCounts = { ok: 0, failed: 0, skipped: 0, unknown: 0 };
  if (outcomes instanceof OutcomeTable) {
    outcomes.addStatusCounts(counts);
    return counts;
  }
  for (const outcome of outcomes.values()) counts[outcome.status] += 1;
  return counts;
}

/** An `ok` with nothing but its new ID (or none) and the counts: what the arrays can hold. */
function isPlainOk(outcome: ActionOutcome): outcome is Extract<ActionOutcome, { status: 'ok' }> {
  if (outcome.status !== 'ok') return false;
  for (const key of Object.keys(outcome)) {
    if (key === 'status' || key === 'attempts' || key === 'durationMs') continue;
    if (key === 'remoteId' && (outcome.remoteId === undefined || Number.isFinite(outcome.remoteId))) continue;
    return false;
  }
  return true;
}
