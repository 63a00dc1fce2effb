import type { Plan } from '../plan/index.js';
import { orderPlanKeys, stringifyInPlanOrder } from '../plan/render.js';
import { writeFileInChunks } from './file-writer.js';
import { compactAction, indexPlan } from './plan-compact.js';
import { COMPACT_PLAN_FORMAT_VERSION } from './plan-format.js';

/**
 * Writes a plan as one JSON document in format 2 (plan-format.ts; plan.json, `plan --out`),
 * streamed: one action per line, so a 100,000-action plan is never one string in memory, and
 * the file still diffs and greps line by line. `envelope` holds the fields written before the
 * plan (a saved plan's digests); the plan goes under `plan` then. Keys keep renderPlanJson's order.
 */
export function writePlanFile(path: string, plan: Plan, envelope?: Record<string, unknown>): void {
  writeFileInChunks(path, (writer) => {
    for (const piece of planFilePieces(plan, envelope)) writer.write(piece);
  });
}

/** The text of `writePlanFile`, piece by piece (an action a piece). */
function* planFilePieces(plan: Plan, envelope?: Record<string, unknown>): Generator<string, void, undefined> {
  if (envelope === undefined) {
    yield* planPieces(plan);
  } else {
    yield '{';
    for (const [key, value] of Object.entries(envelope)) {
      yield `${JSON.stringify(key)}:${stringifyInPlanOrder(value)},\n`;
    }
    yield '"plan":';
    yield* planPieces(plan);
    yield '}';
  }
  yield '\n';
}

function* planPieces(plan: Plan): Generator<string, void, undefined> {
  const index = indexPlan(plan);
  const ordered = orderPlanKeys('', { ...plan, formatVersion: COMPACT_PLAN_FORMAT_VERSION }) as Record<
    string,
    unknown
  >;
  yield '{';
  let first = true;
  for (const [key, value] of Object.entries(ordered)) {
    if (value === undefined) continue;
    if (!first) yield ',\n';
    first = false;
    if (key === 'actions') {
      // The files first, so a reader meets the table before the sources that number into it.
      yield `"files":${JSON.stringify(index.files)},\n"actions":[`;
      for (let position = 0; position < plan.actions.length; position += 1) {
        yield `${position === 0 ? '\n' : ',\n'}${stringifyInPlanOrder(compactAction(plan.actions[position]!, index))}`;
      }
      yield plan.actions.length === 0 ? ']' : '\n]';
    } else {
      yield `${JSON.stringify(key)}:${stringifyInPlanOrder(value)}`;
    }
  }
  yield '}';
}

/** When an apply drafts its plan.json ahead: plans this small, into at most this much text, a slice at a time. */
export const PLAN_DRAFT_LIMITS = { maxActions: 10_000, maxCharacters: 4 * 1024 * 1024, sliceMs: 1 };

/**
 * plan.json of an apply, rendered into memory while the apply waits on the API, a slice of at most
 * `sliceMs` per turn of the event loop, so that writing the report at the end only copies it out:
 * rendering 1,000 actions took ~10 ms of the report phase, ~20 ms on a busy machine, time in which
 * the run had nothing left to wait for. Nothing reaches the disk early (a run killed mid-apply
 * leaves no report folder behind). A plan too large to hold (the 100,000-agent migration) is not
 * drafted, and a draft that outgrows `maxCharacters` is dropped: `write` then streams the file as
 * `writePlanFile` does.
 */
export class PlanFileDraft {
  private readonly pieces: Iterator<string, void, undefined>;
  private drafted: string[] = [];
  private draftedCharacters = 0;
  private state: 'drafting' | 'complete' | 'dropped' = 'drafting';
  private next: NodeJS.Immediate | undefined;

  /** A draft of `plan`'s plan.json, begun at the next turn of the event loop; undefined for a plan too large. */
  static begin(plan: Plan, limits = PLAN_DRAFT_LIMITS): PlanFileDraft | undefined {
    return plan.actions.length > limits.maxActions ? undefined : new PlanFileDraft(plan, limits);
  }

  private constructor(
    readonly plan: Plan,
    private readonly limits: typeof PLAN_DRAFT_LIMITS,
  ) {
    this.pieces = planFilePieces(plan);
    this.next = setImmediate(() => this.draftSlice());
  }

  /** Whether the whole text is drafted: false while drafting, and once dropped. */
  get complete(): boolean {
    return this.state === 'complete';
  }

  /** Writes plan.json at `path`: the drafted text and the rest, or the whole file anew. Once. */
  write(path: string): void {
    this.stop();
    const { drafted, state } = this;
    this.drop();
    if (state === 'dropped') {
      writePlanFile(path, this.plan);
      return;
    }
    writeFileInChunks(path, (writer) => {
      for (const piece of drafted) writer.write(piece);
      for (let piece = this.pieces.next(); piece.done !== true; piece = this.pieces.next())
        writer.write(piece.value);
    });
  }

  /** Stops drafting (the run ends before its report, or writes it now). */
  stop(): void {
    if (this.next !== undefined) clearImmediate(this.next);
    this.next = undefined;
  }

  private draftSlice(): void {
    this.next = undefined;
    const until = performance.now() + this.limits.sliceMs;
    for (;;) {
      const piece = this.pieces.next();
      if (piece.done === true) {
        this.state = 'complete';
        return;
      }
      this.drafted.push(piece.value);
      this.draftedCharacters += piece.value.length;
      if (this.draftedCharacters > this.limits.maxCharacters) {
        this.drop();
        return;
      }
      if (performance.now() >= until) {
        this.next = setImmediate(() => this.draftSlice());
        return;
      }
    }
  }

  private drop(): void {
    this.state = 'dropped';
    this.drafted = [];
    this.draftedCharacters = 0;
  }
}
